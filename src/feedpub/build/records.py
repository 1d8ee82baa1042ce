"""What the build cache keeps of each article file, and the articles of a site read back lazily.

A parse result is kept in three parts, so that a build where few files changed reads back only
what it needs: the `Head` (URL, id, dates, draft: what choosing the feeds' items, checking for
duplicates and linking need), the problems (read back when there are any), and the whole
`Article` without its body (read back for the articles the feeds carry). All are plain values
that marshal writes: quick to load, and nothing in them can run code.
"""

from __future__ import annotations

import dataclasses
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, overload
from zoneinfo import ZoneInfo

from feedpub.build.quick import RACY_NS
from feedpub.errors import Problem
from feedpub.model import Article, Author, Enclosure, Schedule, status_of

__all__ = ["Columns", "FileRecord", "Head", "Heads", "SiteArticles", "decode_article", "decode_problems", "encode"]

# The Article fields by position.
_FIELDS = tuple(item.name for item in dataclasses.fields(Article))
_DATES = frozenset({"date", "updated", "publish_date", "expiry_date"})
_DATE_INDEXES = tuple(index for index, name in enumerate(_FIELDS) if name in _DATES)
_PATH_INDEX, _AUTHORS_INDEX = _FIELDS.index("path"), _FIELDS.index("authors")
_ENCLOSURES_INDEX, _BODY_INDEX = _FIELDS.index("enclosures"), _FIELDS.index("body")


@dataclass(slots=True, eq=False)
class FileRecord:
    """One article file as a build saw it: its stat, when it was looked at, its hash, and what parsing gave:
    the head of its article (url, id, date, publish, expiry, draft; None: no article), its problems and the
    article itself (encoded by build.records; `article` is None until read back, see Cache.article)."""

    stat: str
    checked_ns: int
    digest: bytes
    head: tuple[Any, ...] | None
    problems: bytes | None
    article: bytes | None = None

    def unchanged(self, stat: str, mtime_ns: int) -> bool:
        """Whether the file is surely as it was: the same stat, and not modified too close to the last look."""
        return stat == self.stat and self.checked_ns - mtime_ns > RACY_NS

    def racy(self) -> bool:
        """Whether the file was modified too close to the look to be taken as unchanged by its stat alone."""
        return self.checked_ns - int(self.stat.split(":", 2)[1]) <= RACY_NS


class Head(NamedTuple):
    """What choosing, checking and linking need of an article; its dates as POSIX timestamps.

    A tuple, made from the fields `Heads` keeps by column when one is asked for."""

    path: str
    url: str
    id: str
    date: float
    publish: float | None
    expiry: float | None
    draft: bool

    @classmethod
    def of(cls, article: Article) -> Head:
        publish, expiry = article.publish_date, article.expiry_date
        return cls(
            str(article.path),
            article.url,
            article.id,
            article.date.timestamp(),
            publish.timestamp() if publish is not None else None,
            expiry.timestamp() if expiry is not None else None,
            article.draft,
        )

    def row(self) -> tuple[str, str, float, float | None, float | None, bool]:
        return self.url, self.id, self.date, self.publish, self.expiry, self.draft


def encode(article: Article | None, problems: list[Problem]) -> tuple[bytes | None, bytes | None]:
    """The article without its body (its body is left out) and the problems, each as marshal bytes (None: none)."""
    row = None
    if article is not None:
        values = [getattr(article, name) for name in _FIELDS]
        for index in _DATE_INDEXES:
            moment = values[index]
            if moment is not None:
                values[index] = (moment.isoformat(), getattr(moment.tzinfo, "key", None))
        values[_PATH_INDEX] = str(values[_PATH_INDEX])
        values[_AUTHORS_INDEX] = tuple((author.name, author.email, author.url) for author in article.authors)
        values[_ENCLOSURES_INDEX] = tuple((item.url, item.type, item.length) for item in article.enclosures)
        values[_BODY_INDEX] = ""  # read again from the file when it is needed
        row = marshal.dumps(tuple(values))
    found = None
    if problems:
        found = marshal.dumps([(str(p.path), p.line, p.message, p.severity, _places(p.others)) for p in problems])
    return row, found


def decode_article(data: bytes, path: Path) -> Article | None:
    """The article `encode` wrote for the file at `path`, or None when it cannot be read back."""
    try:
        values = list(marshal.loads(data))
        for index in _DATE_INDEXES:
            if values[index] is not None:
                text, zone = values[index]
                moment = datetime.fromisoformat(text)
                values[index] = moment.astimezone(ZoneInfo(zone)) if zone else moment
        values[_PATH_INDEX] = _path(values[_PATH_INDEX], path)
        values[_AUTHORS_INDEX] = tuple(Author(*author) for author in values[_AUTHORS_INDEX])
        values[_ENCLOSURES_INDEX] = tuple(Enclosure(*enclosure) for enclosure in values[_ENCLOSURES_INDEX])
        return Article(*values)
    except (ValueError, TypeError, EOFError, IndexError):
        return None


def decode_problems(data: bytes | None, path: Path) -> list[Problem] | None:
    """The problems `encode` wrote (None when they cannot be read back)."""
    if data is None:
        return []
    try:
        return [
            Problem(_path(where, path), line, message, severity, tuple((Path(p), n) for p, n in others))
            for where, line, message, severity, others in marshal.loads(data)
        ]
    except (ValueError, TypeError, EOFError):
        return None


def _path(written: str, path: Path) -> Path:
    return path if written == str(path) else Path(written)


def _places(others: tuple[tuple[Path, int | None], ...]) -> tuple[tuple[str, int | None], ...]:
    return tuple((str(path), line) for path, line in others)


class Heads(Sequence[Head]):
    """A site's heads, kept field by field (`columns`), as the build cache's snapshot holds them: a Head
    is made only when one is asked for (making 10,000 costs more than a build where one file changed
    does else), and the steps that go through every article go through the columns."""

    __slots__ = ("columns",)

    def __init__(self, columns: Columns) -> None:
        self.columns = columns

    @classmethod
    def of(cls, heads: Iterable[tuple[Any, ...]]) -> Heads:
        """The heads given (Head values, or tuples of their fields)."""
        rows = list(heads)
        return cls(Columns(*(zip(*rows, strict=True) if rows else ((),) * len(Head._fields))))

    def __len__(self) -> int:
        return len(self.columns.path)

    @overload
    def __getitem__(self, index: int) -> Head: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Head]: ...
    def __getitem__(self, index: int | slice) -> Head | Sequence[Head]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        return Head._make(column[index] for column in self.columns)

    def __iter__(self) -> Iterator[Head]:
        return map(Head._make, zip(*self.columns, strict=True))

    def replaced(self, ids: Mapping[int, str]) -> Heads:
        """The heads, those at the indexes of `ids` with those ids."""
        column = list(self.columns.id)
        for index, ident in ids.items():
            column[index] = ident
        return Heads(self.columns._replace(id=tuple(column)))

    def only(self, kept: Sequence[int]) -> Heads:
        """The heads at the indexes `kept`, in that order."""
        return Heads(Columns._make(tuple(column[index] for index in kept) for column in self.columns))

    def shown(self, schedule: Schedule, since: bool = True, among: Sequence[int] | None = None) -> Sequence[int]:
        """The indexes (`among` those given, else all) of the heads the schedule shows, in order;
        `since`: `[build] since` applies too."""
        columns, now = self.columns, schedule.now.timestamp()
        start = schedule.since.timestamp() if since and schedule.since is not None else None
        places = range(len(self)) if among is None else among
        dates = columns.date
        if _all_published(columns, now):  # the commonest case, decided at C speed
            return places if start is None else [index for index in places if dates[index] >= start]
        publish, expiry, draft = columns.publish, columns.expiry, columns.draft
        return [
            index
            for index in places
            if schedule.shows_status(status_of(draft[index], dates[index], publish[index], expiry[index], now))
            and (start is None or dates[index] >= start)
        ]

    def changes_at(self, schedule: Schedule) -> float | None:
        """Schedule.changes_at, by the heads: the first moment after now (a timestamp) an article
        appears or expires; None when none will."""
        columns, now = self.columns, schedule.now.timestamp()
        if _all_published(columns, now):
            return None
        moments = (
            moment
            for index, draft in enumerate(columns.draft)
            if not draft or schedule.drafts
            for moment in (columns.date[index], columns.publish[index], columns.expiry[index])
            if moment is not None and moment > now
        )
        return min(moments, default=None)


def _all_published(columns: Columns, now: float) -> bool:
    """Whether every head is of a published article: no draft, no publish or expiry date, none dated later."""
    count = len(columns.date)
    return (
        not any(columns.draft)
        and columns.publish.count(None) == count
        and columns.expiry.count(None) == count
        and max(columns.date, default=now) <= now
    )


class Columns(NamedTuple):
    """Each field of a site's heads, in the heads' order."""

    path: tuple[str, ...]
    url: tuple[str, ...]
    id: tuple[str, ...]
    date: Sequence[float]
    publish: tuple[float | None, ...]
    expiry: tuple[float | None, ...]
    draft: tuple[bool, ...]


class SiteArticles(Sequence[Article]):
    """A site's articles in path order: their heads at hand, each whole Article read back when asked for."""

    def __init__(self, heads: Heads | Iterable[tuple[Any, ...]], load: Callable[[int], Article]) -> None:
        self.heads = heads if isinstance(heads, Heads) else Heads.of(heads)
        self._load = load
        self._articles: dict[int, Article] = {}

    def __len__(self) -> int:
        return len(self.heads)

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Article]: ...
    def __getitem__(self, index: int | slice) -> Article | Sequence[Article]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self.heads))[index]]
        if index < 0:
            index += len(self.heads)
        if index not in self._articles:
            self._articles[index] = self._load(index)
        return self._articles[index]

    def __iter__(self) -> Iterator[Article]:
        return (self[index] for index in range(len(self.heads)))

    def passing(self, index: int) -> Article:
        """The article at `index`, read back without being kept (for a build's archive pages, which go
        through every article once: kept, 100,000 of them would be held to the end)."""
        found = self._articles.get(index)
        return found if found is not None else self._load(index)

    def with_ids(self, ids: Mapping[int, str]) -> SiteArticles:
        """The same articles, those at the indexes of `ids` with those ids (the id ledger's)."""

        def load(index: int) -> Article:
            article = self.passing(index)  # kept by the new sequence alone
            return replace(article, id=ids[index]) if index in ids else article

        return SiteArticles(self.heads.replaced(ids), load)

    def without(self, paths: set[str]) -> SiteArticles:
        """The same articles but those whose files are in `paths` (each read back when asked for, as here)."""
        kept = [index for index, path in enumerate(self.heads.columns.path) if path not in paths]
        return SiteArticles(self.heads.only(kept), lambda position: self.passing(kept[position]))
