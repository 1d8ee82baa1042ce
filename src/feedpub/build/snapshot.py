"""What the last build found of a site's article files, kept in the cache's database in parts.

A build where one file changed should not pay, file by file, for the thousands that did not: at
10,000 files, a few microseconds of Python each are most of such a build. The look at the articles
folder (build/quick.py) keeps what it saw as marshal bytes, two halves a folder; the snapshot keeps
the halves the last build saw, with every article file's record in the order of their paths. A
build compares its halves with those, bytes with bytes, and reads only the folders that differ.
When their entries are the same (the same names, types and permissions), the article files are
those the last build found, and only the entries whose status changed (and the files modified too
close to the last look, as the cache's own rule has it) are looked at again. A file added to or
removed from a folder of articles is told too, when its path alone tells whether it is an article
(read.sources.is_article_file).

Anything else is a full look, as before: another shape of listing (a folder added or removed), a
symbolic link (what a link stands for can change while the link does not), a page bundle or a
section page changed, problems in finding the files, or another configuration.

The records are kept field by field (a few objects a file, which marshal reads back at C speed),
in parts of a few hundred files each, split by the files' paths, so that a build writes only the
parts it changed; the parts are rows of the database, written in the commit that writes the
rest of what the build saw.
"""

from __future__ import annotations

import bisect
import marshal
import os
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from feedpub.build.quick import Listing
from feedpub.build.records import Columns, FileRecord
from feedpub.read.sources import BUNDLE_PAGES

__all__ = ["Changes", "Files", "Snapshot"]

FORMAT = 1
PART = 512  # files a part of the snapshot is made with (split again at twice as many)
FOLDERS = 16  # folders' listings a part holds
_LINK = 0o120000
_FOLDER = 0o040000
_TYPE = 0o170000
DIGEST = 32  # bytes: a SHA-256
_NAN = float("nan")


@dataclass(slots=True)
class Files:
    """Each article file's record (build.records.FileRecord), field by field, in the order of the files'
    paths: kept so, a part of the snapshot is a few objects, which marshal writes and reads back at C
    speed (a string of all the paths, of all the URLs, ...: not one object a file)."""

    names: list[str]
    stats: list[str]  # "": no record (a file whose status could not be read)
    checked: array[int]  # when each was looked at (POSIX ns)
    digests: bytearray  # the SHA-256 of each one's bytes, DIGEST bytes each
    # each one's article's head ("" URL and id: no article; date NaN)
    url: list[str]
    id: list[str]
    date: array[float]
    publish: list[float | None]
    expiry: list[float | None]
    draft: list[bool | None]
    problems: dict[int, bytes]  # the problems of those that have any (build.records' bytes)

    @classmethod
    def of(cls, names: list[str]) -> Files:
        count = len(names)
        nothing: list[Any] = [None] * count
        blank = [""] * count
        return cls(
            names,
            list(blank),
            array("q", bytes(8 * count)),
            bytearray(DIGEST * count),
            list(blank),
            list(blank),
            array("d", [_NAN]) * count,
            list(nothing),
            list(nothing),
            list(nothing),
            {},
        )

    def record(self, index: int) -> FileRecord | None:
        stat = self.stats[index]
        if not stat:
            return None
        url = self.url[index]
        head = (url, self.id[index], self.date[index], self.publish[index], self.expiry[index], self.draft[index])
        problems = self.problems.get(index)
        return FileRecord(stat, self.checked[index], self.digest(index), head if url else None, problems)

    def digest(self, index: int) -> bytes:
        return bytes(self.digests[index * DIGEST : (index + 1) * DIGEST])

    def put(self, index: int, record: FileRecord) -> None:
        self.stats[index], self.checked[index] = record.stat, record.checked_ns
        self.digests[index * DIGEST : (index + 1) * DIGEST] = record.digest
        head = record.head or ("", "", _NAN, None, None, None)
        self.url[index], self.id[index], self.date[index] = head[0], head[1], head[2]
        self.publish[index], self.expiry[index], self.draft[index] = head[3], head[4], head[5]
        if record.problems is not None:
            self.problems[index] = record.problems
        else:
            self.problems.pop(index, None)

    def copy(self) -> Files:
        return Files(
            list(self.names),
            list(self.stats),
            array("q", self.checked),
            bytearray(self.digests),
            list(self.url),
            list(self.id),
            array("d", self.date),
            list(self.publish),
            list(self.expiry),
            list(self.draft),
            dict(self.problems),
        )

    def complete(self) -> bool:
        return "" not in self.stats

    def heads(self) -> tuple[list[int], Columns]:
        """The places of the files that have an article, and those articles' heads."""
        url = self.url
        columns = (self.names, url, self.id, self.date, self.publish, self.expiry, self.draft)
        if "" not in url:  # (the commonest case: every file is an article)
            return list(range(len(url))), Columns._make(tuple(column) for column in columns)
        where = [index for index, value in enumerate(url) if value]
        return where, Columns._make(tuple(column[index] for index in where) for column in columns)

    def part(self, start: int, end: int) -> tuple[Any, ...]:
        """The records of the files at places start to end, as one part of the snapshot keeps them
        (ValueError: a path, URL or id holds a NUL, which the part cannot)."""
        texts = (_joined(column[start:end]) for column in (self.names, self.stats, self.url, self.id))
        problems = {index - start: data for index, data in self.problems.items() if start <= index < end}
        return (
            end - start,
            *texts,
            self.checked[start:end].tobytes(),
            bytes(self.digests[start * DIGEST : end * DIGEST]),
            self.date[start:end].tobytes(),
            self.publish[start:end],
            self.expiry[start:end],
            self.draft[start:end],
            problems,
        )

    @classmethod
    def joined(cls, parts: Iterable[tuple[Any, ...]]) -> Files:
        """The files of the parts given (as `part` made them), one after the other (ValueError: parts of
        another shape)."""
        parts = list(parts)
        texts = [list(chain.from_iterable(_split(part[column], part[0]) for part in parts)) for column in range(1, 5)]
        lists = [list(chain.from_iterable(part[column] for part in parts)) for column in (8, 9, 10)]
        checked, digests = array("q", b"".join(part[5] for part in parts)), bytearray(b"".join(p[6] for p in parts))
        date = array("d", b"".join(part[7] for part in parts))
        problems: dict[int, bytes] = {}
        offset = 0
        for part in parts:
            problems.update((offset + index, data) for index, data in part[11].items())
            offset += part[0]
        names, stats, url, ident = texts
        publish, expiry, draft = lists
        files = cls(names, stats, checked, digests, url, ident, date, publish, expiry, draft, problems)
        count = len(names)
        if any(len(column) != count for column in (*texts, *lists, checked, date)) or len(digests) != DIGEST * count:
            raise ValueError("a snapshot of another shape")
        return files

    def insert(self, index: int, name: str) -> None:
        """Make room for a file at `index` (its record is put there afterwards)."""
        for column in (self.stats, self.url, self.id):
            column.insert(index, "")
        for other in (self.publish, self.expiry, self.draft):
            other.insert(index, None)
        self.names.insert(index, name)
        self.checked.insert(index, 0)
        self.date.insert(index, _NAN)
        self.digests[index * DIGEST : index * DIGEST] = bytes(DIGEST)
        self.problems = {place + (place >= index): data for place, data in self.problems.items()}

    def remove(self, index: int) -> None:
        for column in (self.names, self.stats, self.url, self.id, self.publish, self.expiry, self.draft):
            del column[index]
        del self.checked[index]
        del self.date[index]
        del self.digests[index * DIGEST : (index + 1) * DIGEST]
        self.problems = {place - (place > index): data for place, data in self.problems.items() if place != index}


def _joined(values: list[str]) -> str:
    text = "\0".join(values)
    if text.count("\0") != max(len(values) - 1, 0):
        raise ValueError("a NUL in a path, URL or id")
    return text


def _split(text: str, count: int) -> list[str]:
    return text.split("\0") if count else []


@dataclass(slots=True)
class Changes:
    """What changed in the articles folder since a snapshot's listing."""

    statuses: dict[str, tuple[int, int, int, int]]  # path -> size, modification time, inode, change time
    added: list[str]  # the paths of the article files added (in order)
    removed: set[str]  # the paths of the entries removed (article files or not)
    folders: set[int]  # the places (in the listing) of the folders whose entries changed


@dataclass(slots=True)
class Snapshot:
    scope: str  # what finding the files depends on besides the folder: see read_articles
    folders: list[tuple[bytes, bytes]]  # the Listing the build used
    files: Files  # the article files, as read.sources.find_source_names gave them, and their records
    found: bytes | None  # the problems finding them gave (build.records' bytes)
    racy: list[str]  # the paths of the files modified too close to their look
    sections: bool  # whether a file is a section page (_index.md): what is an article then depends on others
    bounds: list[str] = field(default_factory=lambda: [""])  # the first path each part may hold, in order
    _position: dict[str, int] | None = None

    def position(self, name: str) -> int | None:
        if self._position is None:
            names = self.files.names
            self._position = dict(zip(names, range(len(names)), strict=True))
        return self._position.get(name)

    def changes(self, listing: Listing, root: str, is_article: Callable[[str], bool | None]) -> Changes | None:
        """What changed since this snapshot's listing, or None when the files cannot be told from it alone.

        An entry added or removed is told in a folder that held article files already and is not a
        page bundle, when it is a file that `is_article` (its path under `root`, the articles folder)
        can tell is one or is not (None: that depends on more than its name), the problems of finding
        the files were none and no file is a section page."""
        old, new = self.folders, listing.folders
        if len(old) != len(new):
            return None
        changes = Changes({}, [], set(), set())
        for place, (before, after) in enumerate(zip(old, new, strict=True)):
            if before == after:
                continue
            changes.folders.add(place)
            directory, rows = marshal.loads(after[0])
            was_directory, was_rows = marshal.loads(before[0])
            if was_directory != directory:
                return None
            if before[1] == after[1] and before[0] != after[0]:
                was, now = was_rows, rows
            else:
                was, now = [*was_rows, *marshal.loads(before[1])], [*rows, *marshal.loads(after[1])]
            if not self._compare(directory, was, now, root, is_article, changes):
                return None
        changes.added.sort()
        return changes

    def _compare(
        self,
        directory: str,
        was: list[Any],
        now: list[Any],
        root: str,
        is_article: Callable[[str], bool | None],
        changes: Changes,
    ) -> bool:
        """Add what changed in one folder (its entries before and now) to `changes`; False: not told alone."""
        before = {row[0]: row for row in was}
        after = {row[0]: row for row in now}
        for name, row in after.items():
            old = before.get(name)
            if old is not None and old[1] != row[1]:
                return False  # another type or mode
            if row[1] & _TYPE in (_LINK, _FOLDER):
                if old is None:
                    return False
                continue  # (a folder's own status changes with its entries: those are listed on their own)
            if old != row:
                changes.statuses[os.path.join(directory, name)] = (row[2], row[3], row[4], row[5])  # noqa: PTH118
        added = after.keys() - before.keys()
        removed = before.keys() - after.keys()
        if not added and not removed:
            return True
        if self.found is not None or self.sections:
            return False
        top = directory == root  # (the top folder is never a page bundle)
        if not top and any(name.lower() in BUNDLE_PAGES for name in (*before, *after)):
            return False
        prefix = directory + os.sep
        if not top and not any(self.position(prefix + name) is not None for name in before):
            return False  # a folder without article files: inside a bundle, left out or excluded, maybe
        relative = "" if top else directory[len(root) + 1 :].replace(os.sep, "/") + "/"
        for name in removed:
            if before[name][1] & _TYPE == _FOLDER:
                return False
            changes.removed.add(prefix + name)
        for name in added:
            verdict = is_article(relative + name)
            if verdict is None:
                return False
            if verdict:
                changes.added.append(prefix + name)
        return True

    # As the cache's database keeps it -----------------------------------------------------------------

    def rows(
        self, before: Snapshot | None, touched: Iterable[str], folders: Iterable[int]
    ) -> tuple[list[tuple[str, bytes]], list[str]]:
        """The parts to write (name, bytes) and the names of those to delete: given the snapshot `before`
        (this build's start) and the paths of the files `touched` since and the places of the `folders`
        whose listing changed, only theirs; without `before`, every part (the table is emptied first)."""
        names = self.files.names
        write: list[tuple[str, bytes]] = []
        gone: list[str] = []
        if before is None:
            self.bounds = [""] + [names[start] for start in range(PART, len(names), PART)]
            dirty_files = set(range(len(self.bounds)))
            dirty_folders = set(range(0, len(self.folders), FOLDERS))
        else:
            bounds = self.bounds = list(before.bounds)
            dirty = {bisect.bisect_right(bounds, name) - 1 for name in touched}
            for part in sorted(dirty, reverse=True):  # (from the last: splitting one moves those after it)
                start, end = self._span(part)
                if end - start > 2 * PART:
                    bounds[part + 1 : part + 1] = [names[place] for place in range(start + PART, end, PART)]
                elif end == start and part > 0:
                    gone.append(f"files {bounds.pop(part)}")
            dirty_files = {place for place, bound in enumerate(bounds) if bound not in before.bounds}
            dirty_files |= {bisect.bisect_right(bounds, name) - 1 for name in touched}
            dirty_folders = {place - place % FOLDERS for place in folders}
        for part in sorted(dirty_files):
            start, end = self._span(part)
            write.append((f"files {self.bounds[part]}", marshal.dumps(self.files.part(start, end))))
        for start in sorted(dirty_folders):
            write.append((f"folders {start}", marshal.dumps(self.folders[start : start + FOLDERS])))
        shape = (FORMAT, self.scope, self.found, self.racy, self.sections, self.bounds, len(self.folders))
        write.append(("head", marshal.dumps(shape)))
        return write, gone

    def _span(self, part: int) -> tuple[int, int]:
        """The places of the first file of the part and of the first after it."""
        names, bounds = self.files.names, self.bounds
        start = bisect.bisect_left(names, bounds[part])
        end = bisect.bisect_left(names, bounds[part + 1]) if part + 1 < len(bounds) else len(names)
        return start, end

    @classmethod
    def of_rows(cls, rows: dict[str, bytes], scope: str) -> Snapshot | None:
        """The snapshot the database's rows hold, when it was made for `scope` (else None)."""
        try:
            form, stored, found, racy, sections, bounds, count = marshal.loads(rows["head"])
            if form != FORMAT or stored != scope:
                return None
            files = Files.joined(marshal.loads(rows[f"files {bound}"]) for bound in bounds)
            folders = [
                folder for start in range(0, count, FOLDERS) for folder in marshal.loads(rows[f"folders {start}"])
            ]
        except Exception:  # any damaged or stale snapshot is a full look, never a failure
            return None
        if len(folders) != count:
            return None
        return cls(stored, folders, files, found, racy, sections, bounds)
