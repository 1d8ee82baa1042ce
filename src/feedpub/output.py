"""The only code that writes files: atomically, and not at all when the bytes are the same.

All files are first written to temporary files beside their targets (and fsynced); only when
every one of them is safely on disk are they renamed over the targets. A reader sees the old
file or the new one, never half of one, and a failure leaves every old file as it was. The
temporary files a killed build leaves are removed by the next build.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from feedpub.errors import OutputError

__all__ = ["WriteReport", "create_file", "write_files"]

_NEW_FILE_MODE = 0o644  # feeds are public: readable by the web server


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]


def write_files(files: Mapping[str, bytes], folder: Path) -> WriteReport:
    """Write `files` (name -> bytes) into `folder`; files whose bytes would not change are left alone."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: could not create the output folder: {error.strerror}") from None
    _remove_leftovers(folder, files)
    pending: list[tuple[Path, Path]] = []
    unchanged: list[Path] = []
    try:
        for name, data in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)  # a topic's feeds: tags/<slug>/
            if _same_bytes(target, data):
                unchanged.append(target)
                continue
            pending.append((_write_temporary(target, data), target))
        for temporary, target in pending:
            temporary.replace(target)
        for parent in dict.fromkeys(target.parent for _, target in pending):
            _fsync_folder(parent)
    except OSError as error:
        for temporary, _ in pending:
            temporary.unlink(missing_ok=True)
        where = error.filename or folder
        raise OutputError(
            f"{where}: could not write the feeds: {error.strerror}; the old feeds are unchanged"
        ) from None
    return WriteReport(written=tuple(target for _, target in pending), unchanged=tuple(unchanged))


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


def _remove_leftovers(folder: Path, files: Mapping[str, bytes]) -> None:
    """Temporary files a killed build left beside these feeds (builds of a site hold its lock, so
    none is another build's)."""
    for name in files:
        target = folder / name
        if target.parent.is_dir():
            for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
                leftover.unlink(missing_ok=True)


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except FileNotFoundError:
        return False


def _write_temporary(target: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(handle, view) :]
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
