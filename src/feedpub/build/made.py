"""Output files that follow from a key alone, kept unread while their key and their status on disk
are what the build cache recorded.

A file's key is a digest of everything its bytes are made from (its articles' render keys and
ids, the configuration, feedpub's version). When a build makes a file from a key, it records the
status (size, modification time, inode, change time) the file has once in place; a later build
with the same key finds the file as recorded and keeps it without making or reading it. A file
edited, removed or replaced by hand no longer matches its record, and is made again.

An article's render may have looked other articles up (a link written as a post's name or file):
the answers are not in any key, so a record keeps the look-ups of its file's articles, and a file
is kept only while the site answers them as it did (`answers`, the renderer's check).

Archive pages are recorded one by one (build/archives.py); the subscription documents (the main
feeds, the topics' feeds and the page) as one set, since one key makes them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.build.cache import Cache, digest, stat_key

__all__ = ["LookUps", "MadeFiles"]

LookUps = list[tuple[int, str, str | None]]  # render/links.SiteIndex.looked_up: (map, key, answer)


@dataclass(slots=True)
class MadeFiles:
    """The records of the files one build makes in `output` (relative names), through `cache`;
    `answers` tells whether the site still answers look-ups as it did (true for none)."""

    cache: Cache
    output: Path
    answers: Callable[[LookUps], bool]
    _records: list[tuple[str, bytes, LookUps]] = field(default_factory=list)  # to record at `remember`
    _sets: list[tuple[bytes, tuple[str, ...]]] = field(default_factory=list)

    def as_recorded(self, name: str, key: bytes) -> bool:
        """Whether the file `name` was made from `key` and is as it was then (its record kept if so)."""
        stored = self.cache.rendered(_record_key(name, key))
        if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], str)):
            return False
        status, looked_up = stored
        try:
            if stat_key((self.output / name).stat()) != status:
                return False
        except OSError:
            return False
        return self.answers(looked_up)

    def record(self, name: str, key: bytes, looked_up: LookUps) -> None:
        """Record, at `remember`, that the file `name` was made from `key`, its articles' renders having
        looked up `looked_up`."""
        self._records.append((name, key, looked_up))

    def recorded_set(self, key: bytes) -> tuple[str, ...] | None:
        """The names of the files made together from `key`, when every one of them is as recorded."""
        names = self.cache.rendered(_set_key(key))
        if not isinstance(names, tuple) or not all(isinstance(name, str) for name in names):
            return None
        return names if all(self.as_recorded(name, key) for name in names) else None

    def record_set(self, key: bytes, names: Sequence[str], looked_up: LookUps) -> None:
        """Record, at `remember`, that the files `names` were made together from `key`."""
        self._sets.append((key, tuple(names)))
        self._records += [(name, key, looked_up) for name in names]

    def remember(self) -> None:
        """After the files are in place: store each record with the status of its file."""
        for name, key, looked_up in self._records:
            try:
                status = (self.output / name).stat()
            except OSError:
                continue
            self.cache.store_rendered(_record_key(name, key), (stat_key(status), looked_up))
        for key, names in self._sets:
            self.cache.store_rendered(_set_key(key), names)
        self._records, self._sets = [], []


def _record_key(name: str, key: bytes) -> bytes:
    return digest("made file", name, key)


def _set_key(key: bytes) -> bytes:
    return digest("made files", key)
