"""The values that flow through the pipeline; frozen, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = [
    "Article",
    "Author",
    "Enclosure",
    "Entry",
    "Schedule",
    "Source",
    "Status",
    "normal_key",
    "status_of",
    "url_error",
]

#: Where an article stands at a given moment; only "published" ones go into the feeds by default.
Status = Literal["published", "draft", "scheduled", "expired"]


def normal_key(key: str) -> str:
    """A front-matter key as feedpub matches it: no case, "-" read as "_" (Hugo's `publish-date`)."""
    return key.strip().lower().replace("-", "_")


_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/:@!$&'()*+,;=%~"  # RFC 3986's pchar and "/", the escapes already there kept
_QUERY_SAFE = _PATH_SAFE + "?"


def as_uri(url: str) -> str:
    """An IRI as written in front matter or the config (`/blog/café/`, `episode 1.mp3`,
    `https://bücher.example/`) as the URI a browser requests, which a feed must hold: a host outside
    ASCII in its IDNA form (`xn--bcher-kva.example`), in the path, query and fragment every other
    character that they cannot hold percent-encoded as UTF-8 (escapes already there are kept; a "%"
    that starts none is "%25")."""
    parts = urlsplit(_LONE_PERCENT.sub("%25", url))
    netloc = parts.netloc
    if not netloc.isascii() and "@" not in netloc:  # (no user name, where IDNA would not go)
        try:
            port = parts.port
            netloc = (parts.hostname or "").encode("idna").decode("ascii") + (f":{port}" if port is not None else "")
        except (ValueError, UnicodeError):  # a port that is no number, a label IDNA refuses: as written
            pass
    return urlunsplit(
        (
            parts.scheme,
            quote(netloc, safe="[]:@!$&'()*+,;=%~"),
            quote(parts.path, safe=_PATH_SAFE),
            quote(parts.query, safe=_QUERY_SAFE),
            quote(parts.fragment, safe=_QUERY_SAFE),
        )
    )


def fetched(url: str) -> bool:
    """Whether a feed reader can fetch what `url` names: an http(s) URL, or a path on the site."""
    return urlsplit(url).scheme in ("", "http", "https")


def url_error(url: str) -> str | None:
    """Why urllib cannot read `url` at all ("Invalid IPv6 URL" for "https://[::1"), or None."""
    try:
        _ = urlsplit(url).port  # a port must be a number below 65536
    except ValueError as error:
        return str(error)
    return None


@dataclass(frozen=True, slots=True)
class Source:
    """An article file as read from disk: its path and its text (UTF-8 decoded)."""

    path: Path
    text: str


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    email: str | None = None
    url: str | None = None


# An e-mail address as Atom's atomEmailAddress and the W3C validator accept it: local@host.domain.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9-]+", re.ASCII)


def person(text: str) -> Author:
    """An author written as text: `Ann`, or as e-mail and git write one, `Ann <ann@example.org>`: the
    address is its own (Atom's <email>, RSS's <author>), for a name holding one is a warning of the
    W3C validator's ("name should not include email address")."""
    text = text.strip()
    if "<" in text and "@" in text:
        from email.utils import parseaddr  # (its import is paid only by the sites that write these)

        name, address = parseaddr(text)
        if name.strip() and EMAIL.fullmatch(address):
            return Author(name.strip(), email=address)
    return Author(text)


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A file that goes with an article (a podcast episode, a PDF): its absolute URL, media type and
    size in bytes (None: not known; an Entry's enclosures have it wherever it can be known)."""

    url: str
    type: str
    length: int | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One article as its front matter and body describe it, its URL and id resolved."""

    path: Path
    title: str
    date: datetime
    updated: datetime
    slug: str
    url: str
    id: str
    summary: str | None
    body: str
    body_line: int
    authors: tuple[Author, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = False
    publish_date: datetime | None = None  # not shown before this moment (Hugo's publishDate)
    expiry_date: datetime | None = None  # not shown from this moment on (Hugo's expiryDate)
    key_points: tuple[str, ...] = ()
    language: str | None = None
    image: str | None = None  # an absolute URL
    body_is_html: bool = False  # a document's `body_html`: ready HTML, not Markdown
    markdown: str = "commonmark+smart"  # the preset its body is rendered with (render.presets)
    key_lines: tuple[tuple[str, int], ...] = ()  # the line of each identity key written: id, slug, url, date
    enclosures: tuple[Enclosure, ...] = ()

    def line_of(self, *fields: str) -> int | None:
        """The line of the first of `fields` written in the front matter (None when none is)."""
        lines = dict(self.key_lines)
        return next((lines[name] for name in fields if name in lines), None)

    def newest_first(self) -> tuple[float, str]:
        """Sort key: the newest date first, ties broken by id, so every listing agrees."""
        return (-self.date.timestamp(), self.id)

    def status(self, now: datetime) -> Status:
        """Draft, scheduled (its date or publish date still to come), expired, or published."""
        return status_of(self.draft, self.date, self.publish_date, self.expiry_date, now)


class _Moment(Protocol):
    def __gt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...


M = TypeVar("M", bound=_Moment)


def status_of(draft: bool, date: M, publish_date: M | None, expiry_date: M | None, now: M) -> Status:
    """Article.status, for dates as datetimes or as timestamps (the build cache keeps those)."""
    if draft:
        return "draft"
    if date > now or (publish_date is not None and publish_date > now):
        return "scheduled"
    if expiry_date is not None and expiry_date <= now:
        return "expired"
    return "published"


@dataclass(frozen=True, slots=True)
class Entry:
    """An article rendered for a feed: its HTML summary and full content."""

    article: Article
    summary_html: str
    content_html: str
    enclosures: tuple[Enclosure, ...] = ()  # the article's, with the size of each local file


@dataclass(frozen=True, slots=True)
class Schedule:
    """Which articles a build shows: those published at `now`, and drafts or future ones if asked."""

    now: datetime
    drafts: bool = False
    future: bool = False
    from_clock: bool = False  # `now` is the clock's: what the feeds show changes as time passes
    since: datetime | None = None  # older articles stay out of the feeds ([build] since)

    def changes_at(self, articles: Iterable[Article]) -> datetime | None:
        """The first moment after `now` at which one of `articles` appears or expires (None: never)."""
        moments = (
            moment
            for article in articles
            if not article.draft or self.drafts
            for moment in (article.date, article.publish_date, article.expiry_date)
            if moment is not None and moment > self.now
        )
        return min(moments, default=None)

    def shows(self, article: Article) -> bool:
        return self.shows_status(article.status(self.now)) and (self.since is None or article.date >= self.since)

    def shows_status(self, status: Status) -> bool:
        return status == "published" or (status == "draft" and self.drafts) or (status == "scheduled" and self.future)
