"""Output files that follow from a key alone, kept unread while their key and their status on disk
are what the build cache recorded.

A file's key is a digest of everything its bytes are made from (its articles' render keys and
ids, the configuration, feedpub's version). When a build makes a file from a key, it records the
status (size, modification time, inode) the file has once in place; a later build with the same
key finds the file as recorded and keeps it without making or reading it. A file edited, removed
or replaced by hand no longer matches its record, and is made again.

Archive pages are recorded one by one (build/archives.py); the subscription documents (the main
feeds, the topics' feeds and the page) as one set, since one key makes them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.build.cache import Cache, digest, stat_key

__all__ = ["MadeFiles"]


@dataclass(slots=True)
class MadeFiles:
    """The records of the files one build makes in `output` (relative names), through `cache`."""

    cache: Cache
    output: Path
    _records: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, key) to record
    _sets: list[tuple[bytes, tuple[str, ...]]] = field(default_factory=list)

    def as_recorded(self, name: str, key: bytes) -> bool:
        """Whether the file `name` was made from `key` and is as it was then (its record kept if so)."""
        stored = self.cache.rendered(_record_key(name, key))
        if not isinstance(stored, str):
            return False
        try:
            return stat_key((self.output / name).stat()) == stored
        except OSError:
            return False

    def record(self, name: str, key: bytes) -> None:
        """Record, at `remember`, that the file `name` was made from `key`."""
        self._records.append((name, key))

    def recorded_set(self, key: bytes) -> tuple[str, ...] | None:
        """The names of the files made together from `key`, when every one of them is as recorded."""
        names = self.cache.rendered(_set_key(key))
        if not isinstance(names, tuple) or not all(isinstance(name, str) for name in names):
            return None
        return names if all(self.as_recorded(name, key) for name in names) else None

    def record_set(self, key: bytes, names: Sequence[str]) -> None:
        """Record, at `remember`, that the files `names` were made together from `key`."""
        self._sets.append((key, tuple(names)))
        self._records += [(name, key) for name in names]

    def remember(self) -> None:
        """After the files are in place: store each record with the status of its file."""
        for name, key in self._records:
            try:
                status = (self.output / name).stat()
            except OSError:
                continue
            self.cache.store_rendered(_record_key(name, key), stat_key(status))
        for key, names in self._sets:
            self.cache.store_rendered(_set_key(key), names)
        self._records, self._sets = [], []


def _record_key(name: str, key: bytes) -> bytes:
    return digest("made file", name, key)


def _set_key(key: bytes) -> bytes:
    return digest("made files", key)
