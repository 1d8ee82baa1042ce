"""The quick check that nothing changed since the last build: standard library only, and fast.

A cron job that finds nothing changed should cost what looking costs, not what building costs
(importing the Markdown, YAML and feed libraries alone takes longer than the look). So before
anything else is imported, `feedpub build` compares this run with the record the last successful
build left (`last-build.marshal` in the cache folder): the same command line, working directory and
feedpub version; the same configuration bytes; the same size, modification time and inode of
every entry under the articles folder (its change time too) and of every other file rendering
read; the feeds it wrote still as it wrote them; and no article due to appear or expire since.
When all hold, the feeds on disk are what a build would write, and the run prints what the last
one printed and exits 0. Anything else (or anything unexpected) means a real build, which is
always correct: this check can only skip work, never change a result.

A record is only written by a build that succeeded and that saw no file modified within two
seconds of looking (a file system's clock ticks coarsely; git's index has the same rule).

What this module imports is chosen for speed: no pathlib, typing, json or re (each costs
milliseconds to import); the record is marshal's, which is built into Python.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import sys
import time

from feedpub._version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy reads it the same way
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path
    from typing import Any

__all__ = ["RECORD", "Listing", "Record", "file_stats", "quick_build", "take_look", "tree_digest"]

RECORD = "last-build.marshal"
FORMAT = 2  # 2: a folder's entries hashed in two halves
RACY_NS = 2_000_000_000  # as build.cache.RACY_NS
DEFAULT_CACHE = ".feedpub-cache"
DEFAULT_CONFIG = "feedpub.toml"
SPLIT_FROM = 5_000  # files: a look at fewer is over before a second process pays for itself (1,000: +2 ms)
_QUIET = ("-q", "--quiet")
_DECLINE = ("-v", "--verbose", "--no-cache", "-h", "--help", "--version")


def command_key(argv: Sequence[str]) -> list[str]:
    """The command line as the record keys it: -q/--quiet changes what is printed, not what is built."""
    return [arg for arg in argv if arg not in _QUIET]


class Listing:
    """What a look at a folder saw, for a build to use instead of looking again: each folder's entries
    as the digest hashed them (marshal's bytes, two halves per folder), read only when a build asks."""

    __slots__ = ("folders",)

    def __init__(self) -> None:
        self.folders: list[tuple[bytes, bytes]] = []

    def statuses(self) -> dict[str, tuple[int, int, int, int]]:
        """Each file's (size, modification time, inode, change time; nanoseconds), by path."""
        found = {}
        for first, second in self.folders:
            directory, rows = marshal.loads(first)
            for name, mode, size, modified, inode, changed in (*rows, *marshal.loads(second)):
                if mode & 0o170000 != 0o040000:
                    found[os.path.join(directory, name)] = (size, modified, inode, changed)
        return found


def tree_digest(folder: str | Path, since_ns: int, listing: Listing | None = None) -> tuple[str, bool]:
    """A digest of every entry under `folder` (hidden ones aside, as the build passes them over) by name,
    type, size, modification time, inode and change time; and whether one was modified after
    `since_ns` - RACY_NS.

    Entries are taken in the order the system lists them, which stays the same while a folder does
    not change (a folder that lists differently only costs a build). marshal's format 2 writes equal
    values as equal bytes (later formats can share repeated objects by identity). `listing`, when
    given, keeps what was seen, so that a build need not look twice.
    """
    digest, newest = _look(folder, listing)
    return digest, newest > since_ns - RACY_NS


def _look(folder: str | Path, listing: Listing | None, split: bool = False) -> tuple[str, int]:
    """tree_digest's digest, and the newest modification time seen (POSIX nanoseconds).

    Each folder's names are listed first; then each entry's status is asked for, the even ones and
    the odd ones of every folder apart, so that with `split` a second process can ask for half of
    them on a second core (the system's answer is most of a look's time: about 3 µs a file here).
    Halves or not, the digest is the same.

    Python's cyclic garbage collector is paused meanwhile: a look makes a hundred thousand objects
    for as many files, none in a cycle, and the collections their count sets off cost time for
    nothing (0.3 s in a process that already holds a site's articles). What a build may use is kept
    as the bytes hashed, a few objects per folder: keeping every file's status as an object cost a
    quick check of 100,000 files 0.12-0.25 s and some 80 MB."""
    paused = gc.isenabled()
    gc.disable()
    try:
        folders = _list(os.fspath(folder))
        halves = _split(folders) if split and _can_split() else (_statuses(folders, 0), _statuses(folders, 1))
    finally:
        if paused:
            gc.enable()
    (evens, newest), (odds, newest_odd) = halves
    hasher = hashlib.sha256()
    for pair in zip(evens, odds, strict=True):
        hasher.update(pair[0])
        hasher.update(pair[1])
    if listing is not None:
        listing.folders.extend(zip(evens, odds, strict=True))
    return hasher.hexdigest(), max(newest, newest_odd)


def _list(top: str) -> list[tuple[str, list[str]]]:
    """Every folder under `top` (`top` too) with the names of the entries it holds, hidden ones aside;
    a folder that cannot be listed holds none here (the build passes it over too, see read.sources)."""
    folders = []
    stack = [top]
    while stack:
        directory = stack.pop()
        names: list[str] = []
        add = names.append  # (the loop runs once per file: 100,000 times for as many files)
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    name = entry.name
                    if name[0] != ".":
                        add(name)
                        if entry.is_dir(follow_symlinks=False):  # a folder, not a link to one
                            stack.append(entry.path)
        except OSError:
            names = []
        folders.append((directory, names))
    return folders


_BY_FOLDER = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def _statuses(folders: list[tuple[str, list[str]]], half: int) -> tuple[list[bytes], int]:
    """One half of each folder's entries (even places: 0, odd: 1) with their status, as marshal's bytes
    (the first half with the folder's path), and the newest modification time among them."""
    found = []
    newest = 0
    for directory, names in folders:
        rows: list[tuple[str, int, int, int, int, int]] = []
        add = rows.append
        # Asked relative to the open folder, the system does not walk the folder's path again for each.
        # An entry gone since its folder was listed is left out, as a look a moment later would leave it,
        # and so is one whose status the system refuses (the build cannot read it either); a folder gone
        # or refused stays, empty. Either way the digest differs from one of the entry seen: a build.
        try:
            handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY) if _BY_FOLDER else None
        except OSError:
            names, handle = [], None
        place = "" if handle is not None else directory + os.sep
        try:
            for name in names[half::2]:
                try:
                    status = os.stat(place + name, dir_fd=handle, follow_symlinks=False)
                except OSError:
                    continue
                modified = status.st_mtime_ns
                add((name, status.st_mode, status.st_size, modified, status.st_ino, status.st_ctime_ns))
                if modified > newest:
                    newest = modified
        finally:
            if handle is not None:
                os.close(handle)
        found.append(marshal.dumps((directory, rows) if half == 0 else rows, 2))
    return found, newest


def _can_split() -> bool:
    """Whether a second process may take half a look: a second core, fork, and no thread running
    (a forked thread's locks stay held in the child)."""
    if not hasattr(os, "fork") or sys.platform == "darwin":  # macOS's libraries are not fork-safe
        return False
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(cores) > 1


def _split(folders: list[tuple[str, list[str]]]) -> tuple[tuple[list[bytes], int], tuple[list[bytes], int]]:
    """_statuses of both halves, the odd one asked for by a forked child that sends it through a pipe.
    A child that fails (the system refused a status, say) makes it an OSError, as a look of one's own."""
    reading, writing = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return _statuses(folders, 0), _statuses(folders, 1)
    if child == 0:  # pragma: no cover (a forked child's coverage is not collected)
        code = 1
        try:
            os.close(reading)
            view = memoryview(marshal.dumps(_statuses(folders, 1), 2))
            while view:
                view = view[os.write(writing, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    try:
        evens = _statuses(folders, 0)
        chunks = []
        while chunk := os.read(reading, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(reading)
        _, status = os.waitpid(child, 0)
    if status != 0:
        raise OSError("the look's second process failed")
    odds = marshal.loads(b"".join(chunks))
    return evens, (odds[0], odds[1])


# What the quick check saw of the articles folder when it found a change, for the build that follows
# in the same process to use instead of looking again: (folder, when it looked, digest, newest, listing).
_LOOKED: tuple[str, int, float, str, int, Listing] | None = None
_FRESH_FOR = 1.0  # seconds: a look older than this (the build waited for a lock, say) is not used


def take_look(folder: str | Path) -> tuple[int, tuple[str, bool], Listing] | None:
    """The quick check's look at `folder`, once, as tree_digest would give it for a build begun when
    the look began: (that moment, POSIX ns; (digest, racy); what it saw), or None."""
    global _LOOKED
    looked, _LOOKED = _LOOKED, None
    if looked is None or looked[0] != os.fspath(folder) or time.monotonic() - looked[2] > _FRESH_FOR:
        return None
    _, began, _, digest, newest, files = looked
    return began, (digest, newest > began - RACY_NS), files


def file_stats(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """(path, size:mtime:inode) for each path ("" for one that does not exist)."""
    stats = []
    for path in (os.fspath(item) for item in paths):
        try:
            status = os.stat(path)
            stats.append((path, f"{status.st_size}:{status.st_mtime_ns}:{status.st_ino}"))
        except OSError:
            stats.append((path, ""))
    return stats


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError:
        return None


def cache_folder(config_path: str, data: bytes) -> str | None:
    """Where the site's cache is: [build] cache, relative to the config's folder (None: unreadable).

    TOML is read only when the text could set the key: without the word, it is the default.
    """
    value: object = DEFAULT_CACHE
    if b"cache" in data:
        import tomllib

        try:
            build = tomllib.loads(data.decode("utf-8")).get("build", {})
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        value = build.get("cache", DEFAULT_CACHE) if isinstance(build, dict) else DEFAULT_CACHE
    if not isinstance(value, str) or not value.strip():
        return None
    return os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(config_path)), value))


class Record:
    """What a successful build leaves for the next run's quick check."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def make(
        cls,
        argv: Sequence[str],
        config_path: Path,
        articles: Path,
        tree: str,
        consulted: Iterable[Path],
        outputs: Iterable[Path],
        valid_until_ns: int | None,
        printed: tuple[str, str],
        files: int,
    ) -> Record:
        config = os.path.realpath(config_path)
        return cls(
            {
                "format": FORMAT,
                "version": __version__,
                "argv": command_key(argv),
                "cwd": os.getcwd(),
                "config": (config, _digest(_read(config))),
                "articles": os.fspath(articles),
                "tree": tree,
                "consulted": file_stats(consulted),
                "outputs": file_stats(outputs),
                "valid_until_ns": valid_until_ns,
                "stdout": printed[0],
                "stderr": printed[1],
                "files": files,
            }
        )

    def save(self, folder: str | Path) -> None:
        """Write the record atomically; a record that cannot be written only costs the next run a build."""
        folder = os.fspath(folder)
        temporary = os.path.join(folder, f".{RECORD}.{os.getpid()}.tmp")
        try:
            os.makedirs(folder, exist_ok=True)
            with open(temporary, "wb") as stream:
                marshal.dump(self.data, stream)
            os.replace(temporary, os.path.join(folder, RECORD))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _digest(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def quick_build(argv: Sequence[str]) -> int | None:
    """0 when nothing changed since the last build (its output printed again); None: build for real."""
    started = time.perf_counter()
    if not argv or argv[0] != "build" or any(arg in _DECLINE or _combined_flags(arg) for arg in argv):
        return None
    config = _config_path(argv)
    text = _read(config) if config is not None else None
    folder = cache_folder(config, text) if config is not None and text is not None else None
    record = _read(os.path.join(folder, RECORD)) if folder is not None else None
    if config is None or record is None:
        return None
    try:
        data = marshal.loads(record)
        unchanged = (
            data["format"] == FORMAT
            and data["version"] == __version__
            and data["argv"] == command_key(argv)
            and data["cwd"] == os.getcwd()
            and data["config"] == (os.path.realpath(config), _digest(text))
            and (data["valid_until_ns"] is None or time.time_ns() < data["valid_until_ns"])
            and data["outputs"] == file_stats(path for path, _ in data["outputs"])
            and data["consulted"] == file_stats(path for path, _ in data["consulted"])
            and _same_tree(data["articles"], data["tree"], data["files"] >= SPLIT_FROM)
        )
    except (OSError, ValueError, EOFError, KeyError, TypeError):
        return None
    if not unchanged:
        return None
    if not any(arg in _QUIET for arg in argv):
        sys.stderr.write(data["stderr"])
        files, seconds = data["files"], time.perf_counter() - started
        sys.stdout.write(f"{data['stdout']}; {files} article file{'s' * (files != 1)}, none changed; {seconds:.2f} s\n")
    return 0


def _same_tree(folder: str, recorded: str, split: bool = False) -> bool:
    """Whether the articles folder is as recorded; when it is not, the look is kept for the build."""
    global _LOOKED
    began = time.time_ns()
    listing = Listing()
    digest, newest = _look(folder, listing, split)
    if digest == recorded:
        return True
    _LOOKED = (folder, began, time.monotonic(), digest, newest, listing)
    return False


def _config_path(argv: Sequence[str]) -> str | None:
    path = DEFAULT_CONFIG
    for index, arg in enumerate(argv):
        if arg == "--config":
            if index + 1 >= len(argv):
                return None
            path = argv[index + 1]
        elif arg.startswith("--config="):
            path = arg.removeprefix("--config=")
    return path


def _combined_flags(arg: str) -> bool:
    """`-qv` and the like: short options run together, which this check does not take apart."""
    return len(arg) > 2 and arg[0] == "-" and arg[1] != "-"
