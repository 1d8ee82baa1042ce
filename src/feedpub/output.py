"""The only code that writes files: atomically, and not at all when the bytes are the same.

All files are first written to temporary files beside their targets (and fsynced); only when
every one of them is safely on disk are they renamed over the targets. A reader sees the old
file or the new one, never half of one, and a failure leaves every old file as it was. The
temporary files a killed build leaves are removed by the next build.

A file another process wrote (an archive page made by a worker) is fsynced by a thread of the
build's own process, so that the worker goes on to its next page instead of waiting for the disk;
`Staging.commit` waits for those before it renames anything.
"""

from __future__ import annotations

import contextlib
import glob
import os
import queue
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from feedpub.errors import OutputError

__all__ = ["Staging", "WriteReport", "create_file", "stage_file", "write_error", "write_files"]

_NEW_FILE_MODE = 0o644  # feeds are public: readable by the web server


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]  # found with the bytes they would have (or known to have them: Staging.keep)
    removed: tuple[Path, ...] = ()


class Staging:
    """Files written one by one to temporary files, then all renamed over their targets at once.

    `add` stages a file's bytes (nothing, when the target has them already), `keep` names a file
    known to be as it should (not read at all), `commit` renames every staged file and removes the
    files asked; leaving the `with` block without committing removes the temporary files. Staging
    file by file keeps in memory one file's bytes at a time, however many files a build writes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: list[tuple[Path, Path]] = []
        self._unchanged: list[Path] = []
        self._looked: set[Path] = set()  # folders made
        self._syncs: _Syncs | None = None  # of files adopted unsynced
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"{folder}: could not create the output folder: {error.strerror}") from None

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._drain_syncs()  # (before the files go; an error here is of files that go anyway)
        for temporary, _ in self._pending:
            temporary.unlink(missing_ok=True)
        self._pending.clear()

    def add(self, name: str, data: bytes) -> None:
        target = self.folder / name
        with self._errors():
            if target.parent not in self._looked:
                target.parent.mkdir(parents=True, exist_ok=True)  # a topic's feeds: tags/<slug>/
                self._looked.add(target.parent)
            _remove_leftovers(target)
            if _same_bytes(target, data):
                self._unchanged.append(target)
            else:
                self._pending.append((_write_temporary(target, data), target))

    def keep(self, name: str) -> None:
        self._unchanged.append(self.folder / name)

    def adopt(self, name: str, temporary: Path | None, synced: bool = True) -> None:
        """A file `stage_file` staged in another process (None: it found the bytes there already);
        unless `synced`, it is fsynced here, in a thread of this process, before `commit` renames it."""
        if temporary is None:
            self._unchanged.append(self.folder / name)
            return
        self._pending.append((temporary, self.folder / name))
        if not synced:
            if self._syncs is None:
                self._syncs = _Syncs()
            self._syncs.add(temporary, self.folder / name)

    def wait_for_syncs(self) -> None:
        """Until every file adopted unsynced is on disk (the thread syncing them is gone then: a process
        may fork safely); a sync that failed is the one-line error of any file not written."""
        syncs = self._drain_syncs()
        if syncs is not None:
            with self._errors():
                syncs.check()

    def _drain_syncs(self) -> _Syncs | None:
        """Wait for the syncs of adopted files, if any; the syncs done, their errors unraised."""
        syncs, self._syncs = self._syncs, None
        if syncs is not None:
            syncs.wait()
        return syncs

    def commit(self, remove: Iterable[Path] = ()) -> WriteReport:
        """Rename every staged file over its target, then remove the files in `remove` (and the
        folders they leave empty, up to the output folder)."""
        self.wait_for_syncs()
        with self._errors():
            for temporary, target in self._pending:
                temporary.replace(target)
            for parent in dict.fromkeys(target.parent for _, target in self._pending):
                _fsync_folder(parent)
        written = tuple(target for _, target in self._pending)
        self._pending.clear()
        removed = []
        for path in remove:
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
            for parent in path.parents:
                if parent == self.folder or self.folder not in parent.parents:
                    break
                try:
                    parent.rmdir()
                except OSError:
                    break
        return WriteReport(written=written, unchanged=tuple(self._unchanged), removed=tuple(removed))

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise write_error(error, self.folder) from None


def write_error(error: OSError, folder: Path) -> OutputError:
    """The one-line error of a feed file that could not be written (here, or in a worker process)."""
    where = error.filename or folder
    return OutputError(f"{where}: could not write the feeds: {error.strerror}; the old feeds are unchanged")


def stage_file(folder: Path, name: str, data: bytes, sync: bool = True) -> Path | None:
    """Staging.add's work for a worker process: the temporary file with `data` beside `folder / name`,
    or None when the file has those bytes already. The build that started the worker adopts it
    (with `synced=False` when not `sync`: the build's process then fsyncs it)."""
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    return None if _same_bytes(target, data) else _write_temporary(target, data, sync)


class _Syncs:
    """fsync of files, one after another in a thread of their own, while the build goes on."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Path, Path] | None] = queue.SimpleQueue()
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="feedpub-fsync", daemon=True)
        self._thread.start()

    def add(self, temporary: Path, target: Path) -> None:
        """Sync `temporary`; an error names `target`, the file it is to become."""
        self._queue.put((temporary, target))

    def wait(self) -> None:
        """Until every file added is synced (or failed)."""
        self._queue.put(None)
        self._thread.join()

    def check(self) -> None:
        """Raise the first error a sync met."""
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # the commit fails anyway
            temporary, target = item
            try:
                descriptor = os.open(temporary, os.O_RDONLY)
                try:
                    os.fsync(descriptor)
                finally:
                    os.close(descriptor)
            except OSError as error:
                error.filename = str(target)
                self._error = error


def write_files(files: Mapping[str, bytes], folder: Path) -> WriteReport:
    """Write `files` (name -> bytes) into `folder`; files whose bytes would not change are left alone."""
    with Staging(folder) as staging:
        for name, data in files.items():
            staging.add(name, data)
        return staging.commit()


def create_file(target: Path, data: bytes) -> bool:
    """Write a new file atomically; False (and nothing written) when `target` already exists.

    The bytes go to a temporary file that is then hard-linked to `target`: the link fails if
    anything is there, even a file created a moment ago by another process.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = _write_temporary(target, data)
        try:
            os.link(temporary, target)
        except FileExistsError:
            return False
        finally:
            temporary.unlink()
        _fsync_folder(target.parent)
    except OSError as error:
        raise OutputError(f"{error.filename or target}: could not be written: {error.strerror}") from None
    return True


def _remove_leftovers(target: Path) -> None:
    """The temporary files a killed build left beside this file (builds of a site hold its lock, so
    none is another build's)."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        leftover.unlink(missing_ok=True)


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except FileNotFoundError:
        return False


def _write_temporary(target: Path, data: bytes, sync: bool = True) -> Path:
    import tempfile  # (with shutil: 10 ms of a build that writes nothing)

    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(handle, view) :]
            if sync:
                os.fsync(handle)
        finally:
            os.close(handle)
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        temporary.chmod(mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable; not every platform can open a folder, which is fine."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
