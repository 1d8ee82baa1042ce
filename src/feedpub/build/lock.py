"""One build at a time per site: an advisory lock on a file, held while a build reads and writes.

The operating system releases the lock when its holder exits, however it exits (a SIGKILL too),
so a lock left by a killed build is simply taken by the next one; the holder's pid, written in
the file, is only there to be named in the message of a build that gave up waiting.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import TracebackType

from feedpub.errors import FeedpubError

__all__ = ["BuildLock", "LockTimeout"]

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class LockTimeout(FeedpubError):
    """Another build held the site's lock for longer than this one would wait."""

    exit_code = 4


class BuildLock:
    """`with BuildLock(path, wait):` waits up to `wait` seconds for the lock, then raises LockTimeout."""

    def __init__(self, path: Path, wait: float) -> None:
        self.path = path
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            # Without a place for the lock (a read-only site), the build goes on unguarded; its
            # writes fail with their own clear error if the output cannot be written either.
            if error.errno in (13, 30):  # EACCES, EROFS
                return self
            raise FeedpubError(f"{self.path}: could not create the build lock: {error.strerror}") from None
        deadline = time.monotonic() + self.wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                os.close(fd)
                raise LockTimeout(
                    f"another feedpub build{f' (pid {holder})' if holder else ''} holds {self.path}; gave up after "
                    f"waiting {self.wait:g} s (--wait); it is still running, or stuck: check that process"
                )
            time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except (OSError, AttributeError):
        return ""
    return text if text.isdigit() else ""
