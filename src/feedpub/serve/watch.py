"""Which files changed: the only module that imports watchfiles (the operating system's notices).

Folders are watched with everything under them. A single file (the config) is watched through
its folder, that folder alone: editors save by writing another file and renaming it over the old
one, and a watch on the file itself would end with the first save.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import watchfiles

__all__ = ["Watcher"]

log = logging.getLogger(__name__)

_STEP_MS = 50  # a burst of changes (a save, a git checkout) is one notice once it has been quiet this long
_DEBOUNCE_MS = 1_600  # ... or once it has lasted this long
_TIMEOUT_MS = 500  # how often a watching thread looks whether it should stop


class Watcher:
    """Watches `folders` (with what is under them) and `files`, but not what is under `ignored`
    (where builds write); `changes(timeout)` gives the paths changed since the last call.

    Watching runs in threads of its own until `close()`. A watch that fails (a folder removed, the
    system's limit of watches reached) is given by `changes` as an OSError, once.
    """

    def __init__(self, folders: Iterable[Path], files: Iterable[Path], ignored: Iterable[Path] = ()) -> None:
        self.folders = tuple(folder.resolve() for folder in folders)
        self.files = tuple(path.resolve() for path in files)
        self.ignored = tuple(path.resolve() for path in ignored)
        self._found: queue.Queue[set[Path] | OSError] = queue.Queue()
        self._stop = threading.Event()
        parents = {path.parent for path in self.files if not self._covered(path)}
        self._threads = [
            threading.Thread(target=self._watch, args=(where, recursive), name=f"watch {where}", daemon=True)
            for where, recursive in [*((folder, True) for folder in self.folders), *((p, False) for p in parents)]
        ]
        for thread in self._threads:
            thread.start()

    def changes(self, timeout: float) -> set[Path]:
        """Every path changed that matters, waiting up to `timeout` seconds for the first one
        (an empty set when none came); raises the OSError of a watch that failed."""
        found: set[Path] = set()
        wait: float | None = timeout
        while True:
            try:
                got = self._found.get(timeout=wait) if wait else self._found.get_nowait()
            except queue.Empty:
                return found
            if isinstance(got, OSError):
                raise got
            found |= got
            wait = None  # then take what else is there without waiting

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _covered(self, path: Path) -> bool:
        return any(folder == path or folder in path.parents for folder in self.folders)

    def _matters(self, change: watchfiles.Change, name: str) -> bool:
        path = Path(name)
        if any(where == path or where in path.parents for where in self.ignored):
            return False
        return path in self.files or self._covered(path)

    def _watch(self, where: Path, recursive: bool) -> None:
        base = watchfiles.DefaultFilter()  # editors' swap and backup files, .git, __pycache__

        def wanted(change: watchfiles.Change, name: str) -> bool:
            return base(change, name) and self._matters(change, name)

        try:
            for changes in watchfiles.watch(
                where,
                watch_filter=wanted,
                debounce=_DEBOUNCE_MS,
                step=_STEP_MS,
                rust_timeout=_TIMEOUT_MS,
                stop_event=self._stop,
                recursive=recursive,
                raise_interrupt=False,
            ):
                paths = {Path(name) for _, name in changes}
                log.debug("changed: %s", ", ".join(sorted(map(str, paths))))
                self._found.put(paths)
        except OSError as error:
            self._found.put(error)
        except RuntimeError as error:  # how the Rust side reports a watch it could not set up
            self._found.put(OSError(f"{where}: {error}"))
