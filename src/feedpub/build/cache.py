"""The incremental build cache: what earlier builds read, parsed and rendered, in one SQLite file.

The only module that imports sqlite3. A file is parsed again only when its bytes changed (its
size, modification time, inode and change time tell when it may have, as git's index does; its
SHA-256 tells whether it did), and an entry is rendered again only when anything it was rendered
from changed.
Every key holds what changes the output: feedpub's version, the configuration, the site's URLs.

The cache is never a reason to fail: one that is missing, unreadable, corrupt, locked by another
program or written by another version of feedpub is rebuilt (or done without), with a note.
Parse results are marshal's plain values (build/records.py); rendered entries are pickles written
by feedpub itself, so the cache folder is as trusted as feedpub.toml.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedpub._version import __version__
from feedpub.build.quick import RACY_NS
from feedpub.build.records import FileRecord
from feedpub.build.snapshot import Changes, Snapshot

if TYPE_CHECKING:
    from hashlib import _Hash

__all__ = ["DATABASE", "RACY_NS", "Cache", "FileRecord", "digest", "file_status", "hasher", "packed", "stat_key"]

DATABASE = "cache.sqlite"
SCHEMA = 2
_NO_HEAD = (None,) * 6  # a file that gave no article
# Rendered values held in memory beyond this many bytes are written to the database at once.
_PENDING_LIMIT = 32 * 1024 * 1024

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, stat TEXT NOT NULL, checked_ns INTEGER NOT NULL, digest BLOB NOT NULL,
    url TEXT, id TEXT, date REAL, publish REAL, expiry REAL, draft INTEGER, problems BLOB, article BLOB
);
CREATE TABLE IF NOT EXISTS rendered (key BLOB PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS snapshot (part TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


_FILES_COLUMNS = ["path", "stat", "checked_ns", "digest", "url", "id", "date", "publish", "expiry", "draft"]
_FILES_COLUMNS += ["problems", "article"]


def digest(*parts: bytes | str) -> bytes:
    """SHA-256 of the parts, each length-prefixed so that no two lists of parts collide."""
    return hasher(*parts).digest()


def hasher(*parts: bytes | str, start: _Hash | None = None) -> _Hash:
    """`digest`'s hash, not yet finished: of the parts after those `start` (such a hasher) took, when given
    (its copy: a key whose first parts are the same for thousands is made from them once)."""
    hashing = start.copy() if start is not None else hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hashing.update(len(data).to_bytes(8, "big"))
        hashing.update(data)
    return hashing


def packed(value: Any) -> bytes:
    """`value` as `Cache.store_packed` takes it: what a worker process makes, so that the build's own
    process stores it without reading it."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def file_status(result: os.stat_result) -> tuple[int, int, int, int]:
    """What tells that a file may have changed: its size, modification time, inode and change time
    (quick.Listing, which imports nothing of feedpub's, keeps the same four)."""
    return result.st_size, result.st_mtime_ns, result.st_ino, result.st_ctime_ns


def stat_key(result: os.stat_result | tuple[int, int, int, int]) -> str:
    """A status (or its file_status) as the cache keeps it."""
    status = file_status(result) if isinstance(result, os.stat_result) else result  # (a stat_result is a tuple too)
    return "{}:{}:{}:{}".format(*status)


@dataclass(slots=True)
class Cache:
    """The cache of one site (`folder`), for builds whose parse results `key` names (None: no cache)."""

    folder: Path | None
    key: str
    notes: list[str] = field(default_factory=list)
    _db: sqlite3.Connection | None = None
    _files: dict[str, FileRecord] | None = None
    _seen_files: dict[str, FileRecord] = field(default_factory=dict)
    _rendered: dict[bytes, bytes] = field(default_factory=dict)
    _used: set[bytes] = field(default_factory=set)
    _none_stored: bool = False  # the rendered table held no row when opened: a cold build asks it nothing
    _written: set[bytes] = field(default_factory=set)  # ... but for the rows it wrote itself since
    _stored: set[bytes] = field(default_factory=set)  # the keys this build stored values under
    _pending: int = 0  # bytes of rendered values stored since the last write to the database
    _base: Snapshot | None = None  # the snapshot this build's files are told from, when they are
    _made: dict[str, FileRecord] = field(default_factory=dict)  # records made from the snapshot's rows
    _found: Snapshot | None = None  # what this build found, for the next build
    _touched: tuple[set[str], set[int]] = (set(), set())  # files changed since `_base`, and folders' places
    _forgotten: set[str] = field(default_factory=set)  # files removed since `_base`
    _dropped: bool = False  # the tables were made anew during this build: its records are not all there

    @classmethod
    def open(cls, folder: Path | None, key: str) -> Cache:
        """The cache in `folder` (created when missing); without a usable one, a cache that keeps nothing."""
        cache = cls(folder, key)
        if folder is not None:
            cache._connect()
        return cache

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def _connect(self) -> None:
        assert self.folder is not None
        path = self.folder / DATABASE
        for attempt in (1, 2):
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=1.0, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                db.executescript(_TABLES)
                if "files" not in tables:  # (lost: what the snapshot tells of is not there)
                    db.execute("DELETE FROM snapshot")
                stored = dict(db.execute("SELECT name, value FROM meta").fetchall())
                wanted = {"schema": str(SCHEMA), "version": __version__, "python": sys.version, "key": self.key}
                if stored != wanted:
                    if stored:
                        origin = _what_changed(stored, wanted)
                        self.notes.append(f"{self.folder}: the build cache is from {origin}; rebuilt")
                    # another schema may have other columns: the tables are made anew
                    db.executescript(
                        "BEGIN; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS rendered;"
                        " DROP TABLE IF EXISTS snapshot; DELETE FROM meta; COMMIT;"
                    )
                    db.executescript(_TABLES)
                    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(wanted.items()))
                if [row[1] for row in db.execute("PRAGMA table_info(files)")] != _FILES_COLUMNS:
                    raise sqlite3.DatabaseError("its table of files has other columns")
                self._none_stored = db.execute("SELECT 1 FROM rendered LIMIT 1").fetchone() is None
                self._db = db
                return
            except sqlite3.OperationalError as error:
                if "locked" in str(error) or "busy" in str(error):
                    self.notes.append(f"{path}: the build cache is in use by another program; building without it")
                    return
                if attempt == 2 or not _remove(path):
                    self.notes.append(f"{path}: the build cache cannot be used ({error}); building without it")
                    return
                self.notes.append(f"{path}: the build cache could not be read ({error}); rebuilt")
            except sqlite3.DatabaseError as error:  # not a database, or a damaged one: start afresh
                if attempt == 2 or not _remove(path):
                    self.notes.append(f"{path}: the build cache cannot be used ({error}); building without it")
                    return
                self.notes.append(f"{path}: the build cache was damaged ({error}); rebuilt")
            except OSError as error:
                self.notes.append(f"{path}: the build cache cannot be used ({error.strerror}); building without it")
                return

    # Parsed files ---------------------------------------------------------------------------------

    def file(self, path: str) -> FileRecord | None:
        """What the last build recorded for the file at `path` (absolute), or None."""
        if self._files is None:
            self._files = {}
            if self._db is not None:
                query = (
                    "SELECT path, stat, checked_ns, digest, url, id, date, publish, expiry, draft, problems FROM files"
                )
                try:
                    rows = self._db.execute(query).fetchall()
                except sqlite3.DatabaseError as error:
                    self._drop(error)
                    rows = []
                self._files = {
                    row[0]: FileRecord(row[1], row[2], row[3], row[4:10] if row[4] is not None else None, row[10])
                    for row in rows
                }
        return self._files.get(path)

    def article(self, path: str, record: FileRecord) -> bytes | None:
        """The encoded article of `record` (the file at `path`), read from the database when not yet read."""
        if record.article is None and record.head is not None and self._db is not None:
            try:
                row = self._db.execute("SELECT article FROM files WHERE path = ?", (path,)).fetchone()
            except sqlite3.DatabaseError as error:
                self._drop(error)
                return None
            record.article = row[0] if row is not None else None
        return record.article

    def current(self, path: str) -> FileRecord | None:
        """What this build found for the file at `path` (see `seen`, and `use`), or None."""
        record = self._seen_files.get(path)
        if record is None and self._base is not None:
            record = self._made.get(path)
            index = self._base.position(path) if record is None else None
            if index is not None:
                record = self._base.files.record(index)
                if record is not None:
                    self._made[path] = record
        return record

    def seen(self, path: str, record: FileRecord) -> None:
        """Record what this build found for `path`: kept at `commit`, and every file not seen is forgotten."""
        self._seen_files[path] = record

    def digest_of(self, path: str) -> bytes | None:
        """The SHA-256 of the bytes this build found in the file at `path` (see `current`), or None."""
        record = self._seen_files.get(path)
        if record is not None:
            return record.digest
        index = self._base.position(path) if self._base is not None else None
        if self._base is None or index is None or not self._base.files.stats[index]:
            return None
        return self._base.files.digest(index)

    # The snapshot of the site's files -------------------------------------------------------------

    def snapshot(self, scope: str) -> Snapshot | None:
        """The snapshot the last build left, when it was made for `scope` (see build/snapshot.py)."""
        if self._db is None:
            return None
        try:
            rows = dict(self._db.execute("SELECT part, data FROM snapshot").fetchall())
        except sqlite3.DatabaseError as error:
            self._drop(error)
            return None
        return Snapshot.of_rows(rows, scope) if rows else None

    def use(self, snapshot: Snapshot, changes: Changes) -> None:
        """This build's files are told from the snapshot and what `changes` since: what `seen` is not told
        of is as the snapshot has it."""
        self._base = snapshot
        self._touched = ({*changes.statuses, *changes.added, *changes.removed}, changes.folders)
        self._forgotten = set(changes.removed)

    def found(self, snapshot: Snapshot | None) -> None:
        """What this build found, for `commit` to keep for the next build (its racy files are worked out
        then); None: nothing (the files' statuses are not all from one look)."""
        self._found = snapshot

    def _write_snapshot(self, db: sqlite3.Connection) -> None:
        """Within the commit's transaction: the snapshot of what this build found, or none."""
        found, base = self._found, self._base
        if found is None or self._dropped or not found.files.complete():
            db.execute("DELETE FROM snapshot")
            return
        # (every racy file of the snapshot used was looked at again, so is among those seen)
        found.racy = sorted(path for path, record in self._seen_files.items() if record.racy())
        if base is None:
            db.execute("DELETE FROM snapshot")
        touched, folders = self._touched
        try:  # (without a base, every part is written: what was touched does not count)
            rows, gone = found.rows(base, touched | set(self._seen_files) if base is not None else (), folders)
        except ValueError:  # a path, URL or id it cannot hold: the next build looks at every file
            db.execute("DELETE FROM snapshot")
            return
        db.executemany("DELETE FROM snapshot WHERE part = ?", ((part,) for part in gone))
        db.executemany("INSERT OR REPLACE INTO snapshot VALUES (?, ?)", rows)

    # Rendered entries -----------------------------------------------------------------------------

    def rendered(self, key: bytes) -> Any | None:
        """The value stored under `key` by `store_rendered`, or None."""
        if self._db is None:
            return None
        self._used.add(key)
        if key not in self._rendered:
            if self._none_stored and key not in self._written:
                return None
            try:
                row = self._db.execute("SELECT value FROM rendered WHERE key = ?", (key,)).fetchone()
            except sqlite3.DatabaseError as error:
                self._drop(error)
                return None
            if row is None:
                return None
            self._rendered[key] = row[0]
        return _unpickle(self._rendered[key])

    def has_rendered(self, key: bytes) -> bool:
        """Whether something is stored under `key` (without reading it back)."""
        if key in self._rendered:
            return True
        if self._db is None or (self._none_stored and key not in self._written):
            return False
        try:
            return self._db.execute("SELECT 1 FROM rendered WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.DatabaseError as error:
            self._drop(error)
            return False

    def keep(self, key: bytes) -> None:
        """Keep what is stored under `key` at `commit`, unread (what a build does not use is forgotten)."""
        self._used.add(key)

    def store_rendered(self, key: bytes, value: Any) -> None:
        self.store_packed(key, packed(value))

    def store_packed(self, key: bytes, data: bytes) -> None:
        """Store what `packed` made of a value (see `store_rendered`)."""
        self._used.add(key)
        self._stored.add(key)
        self._rendered[key] = data
        self._pending += len(data)
        if self._pending > _PENDING_LIMIT:
            self._write_rendered()

    def _write_rendered(self) -> None:
        """Write the rendered values held in memory to the database, and let them go: a cold build of
        a big archive renders every article, and would otherwise hold them all until `commit`. Each
        row is keyed by what it was made from, so a row written early is right whatever the build
        does next (one it ends up not using goes at the next commit)."""
        self._pending = 0
        if self._db is None:
            return
        rows = list(self._rendered.items())
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO rendered VALUES (?, ?)", rows)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            return  # kept in memory, for commit to try again
        self._written.update(key for key, _ in rows)
        self._rendered.clear()

    # Writing --------------------------------------------------------------------------------------

    def commit(self) -> None:
        """Keep what this build saw and rendered, in one transaction; forget the rest. Never raises."""
        if self._db is None:
            return
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            old = set(self._files or ()) | self._forgotten
            db.executemany("DELETE FROM files WHERE path = ?", ((path,) for path in old - set(self._seen_files)))
            changed = [  # a record read back and seen again is the same object: nothing to write
                (
                    path,
                    record.stat,
                    record.checked_ns,
                    record.digest,
                    *(record.head or (None,) * 6),
                    record.problems,
                    record.article,
                )
                for path, record in self._seen_files.items()
                if (self._files or {}).get(path) is not record
            ]
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", changed)
            stored = {row[0] for row in db.execute("SELECT key FROM rendered")}
            db.executemany("DELETE FROM rendered WHERE key = ?", ((key,) for key in stored - self._used))
            # (a value stored again under a key the table holds replaces it: the old one could not be used)
            db.executemany(
                "INSERT OR REPLACE INTO rendered VALUES (?, ?)",
                (
                    (key, value)
                    for key, value in self._rendered.items()
                    if key in self._used and (key not in stored or key in self._stored)
                ),
            )
            self._write_snapshot(db)
            db.execute("COMMIT")
            self._none_stored, self._written = False, set()  # (the table has this build's rows now)
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            self.notes.append(f"{self.folder}: the build cache could not be updated ({error}); the feeds are fine")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _drop(self, error: sqlite3.DatabaseError) -> None:
        """A cache that cannot be read is made anew (empty: this build fills it), or else done without."""
        try:
            assert self._db is not None
            self._db.executescript(
                "BEGIN; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS rendered; DROP TABLE IF EXISTS snapshot;"
                " COMMIT;" + _TABLES
            )
            self._base, self._dropped = None, True
            self._none_stored, self._written = True, set()
            self.notes.append(f"{self.folder}: the build cache could not be read ({error}); rebuilt")
        except sqlite3.Error:
            self.notes.append(f"{self.folder}: the build cache could not be read ({error}); building without it")
            self.close()


def _unpickle(data: bytes) -> Any | None:
    try:
        return pickle.loads(data)
    except Exception:  # any damaged or stale pickle is a cache miss, never a failure
        return None


def _what_changed(stored: dict[str, str], wanted: dict[str, str]) -> str:
    if stored.get("schema") != wanted["schema"] or stored.get("version") != wanted["version"]:
        return f"feedpub {stored.get('version', 'of another version')}"
    if stored.get("python") != wanted["python"]:
        return "another version of Python"
    return "another configuration"


def _remove(path: Path) -> bool:
    try:
        for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            name.unlink(missing_ok=True)
    except OSError:
        return False
    return True
