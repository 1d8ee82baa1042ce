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
FORMAT = 3  # 2: a folder's entries hashed in two halves; 3: folders in the order of their paths
# A file modified this close to (or after) the moment it was looked at may change again within the
# same tick of the file system's clock, unseen: its bytes are hashed again next time (the build
# cache's rule too, build.records.FileRecord).
RACY_NS = 2_000_000_000
DEFAULT_CACHE = ".feedpub-cache"
DEFAULT_CONFIG = "feedpub.toml"
SPREAD = 8  # folders: as many as a look shared by two processes needs to share out its listing
SPREAD_BY_SIZE = 256  # folders: as many as are shared out by their sizes, more by turns
SPLIT_FROM = 5_000  # files: a look at fewer is over before a second process pays for itself (1,000: +2 ms)
_QUIET = ("-q", "--quiet")
_DECLINE = ("-v", "--verbose", "--no-cache", "-h", "--help", "--version")


def command_key(argv: Sequence[str]) -> list[str]:
    """The command line as the record keys it: -q/--quiet changes what is printed, not what is built."""
    return [arg for arg in argv if arg not in _QUIET]


class Listing:
    """What a look at a folder saw, for a build to use instead of looking again: each folder's entries
    as the digest hashed them (marshal's bytes, two halves per folder), read only when a build asks."""

    __slots__ = ("folders", "links")

    def __init__(self) -> None:
        self.folders: list[tuple[bytes, bytes]] = []
        self.links = False  # whether `statuses` met a symbolic link

    def statuses(self) -> dict[str, tuple[int, int, int, int]]:
        """Each file's (size, modification time, inode, change time; nanoseconds), by path."""
        found = {}
        for first, second in self.folders:
            directory, rows = marshal.loads(first)
            for name, mode, size, modified, inode, changed in (*rows, *marshal.loads(second)):
                kind = mode & 0o170000
                if kind != 0o040000:
                    found[os.path.join(directory, name)] = (size, modified, inode, changed)
                    if kind == 0o120000:
                        self.links = True
        return found


def tree_digest(folder: str | Path, since_ns: int, listing: Listing | None = None) -> tuple[str, bool]:
    """A digest of every entry under `folder` (hidden ones aside, as the build passes them over) by name,
    type, size, modification time, inode and change time; and whether one was modified after
    `since_ns` - RACY_NS.

    Folders are taken in the order of their paths, and each one's entries in the order the system
    lists them, which stays the same while a folder does not change (a folder that lists differently
    only costs a build). marshal's format 2 writes equal values as equal bytes (later formats can
    share repeated objects by identity). `listing`, when given, keeps what was seen, so that a build
    need not look twice.
    """
    digest, newest = _look(folder, listing)
    return digest, newest > since_ns - RACY_NS


def _look(folder: str | Path, listing: Listing | None, split: bool = False) -> tuple[str, int]:
    """tree_digest's digest, and the newest modification time seen (POSIX nanoseconds).

    Each folder's entries are listed, then their statuses asked for, the even and the odd places of
    each folder apart. With `split`, a second process takes half of the work on a second core: once
    the first has listed enough folders to share out (SPREAD; see _halve), each lists the folders under
    its own share of them and asks for their entries' statuses; the entries of the folders listed
    before the split (all of them, when the site keeps its articles in one folder) are shared by
    place, even and odd. (The system's answers are most of a look's time: about 1 µs a listed entry
    here, 4-5 µs a status.) Split or not, the digest is the same: each folder is hashed in two halves,
    in the order of the folders' paths.

    Python's cyclic garbage collector is paused meanwhile: a look makes a hundred thousand objects
    for as many files, none in a cycle, and the collections their count sets off cost time for
    nothing (0.3 s in a process that already holds a site's articles). What a build may use is kept
    as the bytes hashed, a few objects per folder: keeping every file's status as an object cost a
    quick check of 100,000 files 0.12-0.25 s and some 80 MB."""
    paused = gc.isenabled()
    gc.disable()
    try:
        top = os.fspath(folder)
        pieces, newest = _split(top) if split and _can_split() else _statuses(_list([top]), (0, 1))
    finally:
        if paused:
            gc.enable()
    halves: dict[str, list[bytes]] = {}
    for directory, half, data in pieces:
        halves.setdefault(directory, [b"", b""])[half] = data
    hasher = hashlib.sha256()
    for directory in sorted(halves):
        first, second = halves[directory]
        hasher.update(first)
        hasher.update(second)
        if listing is not None:
            listing.folders.append((first, second))
    return hasher.hexdigest(), newest


Folders = list[tuple[str, list[str]]]  # (folder, the names of its entries), hidden ones aside
Pieces = list[tuple[str, int, bytes]]  # (folder, 0 or 1, the statuses of its entries at even or odd places)


def _list(stack: list[str]) -> Folders:
    """Every folder in `stack` and every folder under them, with the names of the entries each holds;
    a folder that cannot be listed holds none here (the build passes it over too, see read.sources)."""
    folders = []
    while stack:
        directory = stack.pop()
        folders.append((directory, _entries(directory, stack)))
    return folders


def _entries(directory: str, folders: list[str]) -> list[str]:
    """The names of the entries in `directory`, hidden ones aside; the paths of those that are folders
    (not links to one) are added to `folders`."""
    names: list[str] = []
    add = names.append  # (the loop runs once per file: 100,000 times for as many files)
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name[0] != ".":
                    add(name)
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
    except OSError:
        return []
    return names


def _spread(top: str) -> tuple[Folders, list[str]]:
    """The folders listed, level by level from `top`, until SPREAD folders or more are found that are not
    listed yet (or none is left); and those folders, which two processes can share out."""
    listed: Folders = []
    waiting = [top]
    while waiting and len(waiting) < SPREAD:
        found: list[str] = []
        for directory in waiting:
            listed.append((directory, _entries(directory, found)))
        waiting = found
    return listed, waiting


_BY_FOLDER = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def _statuses(folders: Folders, halves: tuple[int, ...]) -> tuple[Pieces, int]:
    """For each folder, the statuses of its entries at even places (half 0) and at odd ones (1), each as
    marshal's bytes (the even ones with the folder's path); and the newest modification time among them."""
    pieces = []
    newest = 0
    for directory, names in folders:
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
            for half in halves:
                rows: list[tuple[str, int, int, int, int, int]] = []
                add = rows.append
                for name in names[half::2]:
                    try:
                        status = os.stat(place + name, dir_fd=handle, follow_symlinks=False)
                    except OSError:
                        continue
                    modified = status.st_mtime_ns
                    add((name, status.st_mode, status.st_size, modified, status.st_ino, status.st_ctime_ns))
                    if modified > newest:
                        newest = modified
                pieces.append((directory, half, marshal.dumps((directory, rows) if half == 0 else rows, 2)))
        finally:
            if handle is not None:
                os.close(handle)
    return pieces, newest


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


def _halve(listed: Folders, waiting: list[str]) -> tuple[list[str], list[str]]:
    """`waiting`'s folders in two shares of about equal weight (`listed` may take one more, see below).

    A folder's size, as the system gives it, grows with the entries it holds on most file systems
    (ext4: a block per hundred or so). So a few folders go, largest first, each to the lighter share;
    but the largest is listed now, into `listed`, its entries shared by place, since folders of about
    equal weight and odd in number (a folder a year) cannot be shared out evenly. Many folders go by
    turns: each size costs a status, and the shares of many small folders even out."""
    if len(waiting) > SPREAD_BY_SIZE:
        return waiting[0::2], waiting[1::2]
    sized = sorted(_sized(waiting))
    if sized:
        found: list[str] = []
        listed.append((sized[0][1], _entries(sized[0][1], found)))
        sized = sorted([*sized[1:], *_sized(found)])
    shares: tuple[list[str], list[str]] = ([], [])
    weights = [0, 0]
    for size, directory in sized:
        lighter = int(weights[1] < weights[0])
        shares[lighter].append(directory)
        weights[lighter] -= size
    return shares


def _sized(folders: list[str]) -> list[tuple[int, str]]:
    """(minus the size, the folder) of each of `folders` (0: one the system gives no status of)."""
    sized = []
    for directory in folders:
        try:
            sized.append((-os.stat(directory).st_size, directory))
        except OSError:
            sized.append((0, directory))
    return sized


def _share(listed: Folders, shares: tuple[list[str], list[str]], second: bool) -> tuple[Pieces, int]:
    """One process's share of a look shared by two (`second`: the forked one's): half of the entries of
    the folders `_spread` listed, and the folders under its share of those it found."""
    shared, newest = _statuses(listed, (int(second),))
    own, newest_own = _statuses(_list(list(shares[second])), (0, 1))
    return shared + own, max(newest, newest_own)


def _split(top: str) -> tuple[Pieces, int]:
    """A look shared by two processes, the second forked, sending its share through a pipe. A child
    that fails (the system refused a status, say) makes it an OSError, as a look of one's own."""
    listed, waiting = _spread(top)  # before the fork, so that both processes share out the same folders
    shares = _halve(listed, waiting)
    reading, writing = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return _statuses(listed + _list([*shares[0], *shares[1]]), (0, 1))
    if child == 0:  # pragma: no cover (a forked child's coverage is not collected)
        code = 1
        try:
            os.close(reading)
            view = memoryview(marshal.dumps(_share(listed, shares, True), 2))
            while view:
                view = view[os.write(writing, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    try:
        pieces, newest = _share(listed, shares, False)
        chunks = []
        while chunk := os.read(reading, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(reading)
        _, status = os.waitpid(child, 0)
    if status != 0:
        raise OSError("the look's second process failed")
    theirs, newest_theirs = marshal.loads(b"".join(chunks))
    return pieces + theirs, max(newest, newest_theirs)


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
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            return None  # the full build reports it
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
