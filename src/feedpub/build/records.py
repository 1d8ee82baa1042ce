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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import overload
from zoneinfo import ZoneInfo

from feedpub.errors import Problem
from feedpub.model import Article, Author, Enclosure, Schedule, status_of

__all__ = ["Head", "SiteArticles", "decode_article", "decode_problems", "encode"]

# The Article fields by position.
_FIELDS = tuple(item.name for item in dataclasses.fields(Article))
_DATES = frozenset({"date", "updated", "publish_date", "expiry_date"})
_DATE_INDEXES = tuple(index for index, name in enumerate(_FIELDS) if name in _DATES)
_PATH_INDEX, _AUTHORS_INDEX = _FIELDS.index("path"), _FIELDS.index("authors")
_ENCLOSURES_INDEX, _BODY_INDEX = _FIELDS.index("enclosures"), _FIELDS.index("body")


@dataclass(slots=True)
class Head:
    """What choosing, checking and linking need of an article; its dates as POSIX timestamps."""

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

    def newest_first(self) -> tuple[float, str]:
        """As Article.newest_first."""
        return (-self.date, self.id)

    def shows(self, schedule: Schedule, now: float, since: float | None) -> bool:
        """As Schedule.shows, `now` and `since` being the schedule's moments as timestamps."""
        shown = schedule.shows_status(status_of(self.draft, self.date, self.publish, self.expiry, now))
        return shown and (since is None or self.date >= since)


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


class SiteArticles(Sequence[Article]):
    """A site's articles in path order: their heads at hand, each whole Article read back when asked for."""

    def __init__(self, heads: list[Head], load: Callable[[int], Article]) -> None:
        self.heads = heads
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
        heads = [replace(head, id=ids[index]) if index in ids else head for index, head in enumerate(self.heads)]

        def load(index: int) -> Article:
            article = self.passing(index)  # kept by the new sequence alone
            return replace(article, id=ids[index]) if index in ids else article

        return SiteArticles(heads, load)

    def without(self, paths: set[str]) -> SiteArticles:
        """The same articles but those whose files are in `paths` (each read back when asked for, as here)."""
        kept = [index for index, head in enumerate(self.heads) if head.path not in paths]
        return SiteArticles([self.heads[index] for index in kept], lambda position: self.passing(kept[position]))
