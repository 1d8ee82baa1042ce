"""Typed values out of front matter, with a problem (and the key's line) for every bad one; pure.

A field may go by several names (see `articles.FIELDS`); each reader takes the names in order and
uses the first one present. Keys are matched case-insensitively with "-" read as "_", so Hugo's
`publishDate` and `expiry-date` are found as `publishdate` and `expiry_date`. Messages quote the
key as the author wrote it.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Collection, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedpub.errors import Problem, shown
from feedpub.model import EMAIL, Author, Enclosure, as_uri, fetched, normal_key, person, url_error
from feedpub.read.dates import ACCEPTED_FORMS, DateError, leading_datetime, to_datetime
from feedpub.read.frontmatter import FrontMatter, PlainTimestamp
from feedpub.xmlchars import FORBIDDEN, find_forbidden

__all__ = ["FORBIDDEN", "SURROGATE", "Fields", "find_forbidden", "is_clean"]

LOST = "\ufffd"  # the replacement character: readers and validators take it for damage
# Only an escape (YAML "\ud800", JSON "\ud800") can make one; no encoding can write it out.
SURROGATE = re.compile("[\ud800-\udfff]")
# Every character that FORBIDDEN, SURROGATE or LOST may match, and a few more (astral ones between
# noncharacters): text without any is clean, found in one pass (most text; three cost twice as much).
_SUSPECT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffd-\uffff\U0001fffe-\U0010ffff]"
)


def is_clean(value: str) -> bool:
    """Whether `value` holds nothing that Fields.clean would take out or refuse."""
    return _SUSPECT.search(value) is None


_FLAG_WORDS = ("true", "yes", "false", "no")
_KINDS = {bool: "true/false", list: "a list", dict: "a mapping"}


class Fields:
    """The front matter of one file, read field by field; problems are appended to `problems`."""

    def __init__(
        self,
        path: Path,
        front: FrontMatter,
        zone: tzinfo,
        problems: list[Problem],
        timestamp_zone: tzinfo | None = None,
        ruby_dates: bool = False,
    ) -> None:
        self.path = path
        self.front = front
        self.zone = zone
        # The zone of an unquoted YAML timestamp written without one, where it is not the site's.
        self.timestamp_zone = timestamp_zone
        self.ruby_dates = ruby_dates  # a date followed by stray words is read as Jekyll reads it
        self.problems = problems
        self._keys: dict[str, str] = {}
        for key in front.meta:
            self._keys.setdefault(normal_key(str(key)), str(key))
        # Each name's value and whether it is present, found once: every reader asks for several
        # names, most of them absent (a field goes by up to a dozen names).
        self._values: dict[str, Any] = {name: front.meta[key] for name, key in self._keys.items()}
        self._here = frozenset(name for name, value in self._values.items() if _is_present(name, value))

    # Where things are ---------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """The normalized keys, in the order written."""
        return list(self._keys)

    def original(self, name: str) -> str:
        return self._keys.get(name, name)

    def value(self, name: str) -> Any:
        return self._values.get(name)

    def first(self, names: Sequence[str]) -> str:
        """The first of `names` present (the first name when none is)."""
        here = self._here
        for name in names:
            if name in here:
                return name
        return names[0]

    def has(self, names: Sequence[str]) -> bool:
        return not self._here.isdisjoint(names)

    def _present(self, name: str) -> bool:
        return name in self._here

    def line(self, name: str) -> int:
        return self.front.lines.get(self.original(name), self.front.start_line)

    # Problems -------------------------------------------------------------------------------

    def error(self, names: Sequence[str] | str, message: str) -> None:
        name = names if isinstance(names, str) else self.first(names)
        self.problems.append(Problem(self.path, self.line(name), f"'{self.original(name)}' {message}"))

    def warn(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(name), f"'{self.original(name)}': {message}", "warning"))

    def missing(self, name: str, example: str) -> None:
        message = f"'{name}' is missing; add a line '{example}' to the front matter"
        self.problems.append(Problem(self.path, self.front.start_line, message))

    def clean(self, value: str, line: int, what: str) -> str:
        """`value` without characters XML forbids (with a warning); a lone surrogate is an error."""
        if is_clean(value):
            return value
        surrogate = SURROGATE.search(value)
        if surrogate is not None:
            at = line + value.count("\n", 0, surrogate.start())
            message = (
                f"{what} holds a lone surrogate (\\u{ord(surrogate[0]):04x}), half of a character that cannot "
                "be written out; write the character itself or its full escape pair"
            )
            self.problems.append(Problem(self.path, at, message))
            return SURROGATE.sub("", value)
        first = find_forbidden(value)
        if first is not None:
            at = line + value.count("\n", 0, first.start())
            message = f"{what} holds control characters XML forbids (U+{ord(first[0]):04X}); they were removed"
            self.problems.append(Problem(self.path, at, message, "warning"))
            value = FORBIDDEN.sub("", value)
        lost = value.find(LOST)
        if lost >= 0:
            at = line + value.count("\n", 0, lost)
            message = (
                f"{what} holds U+FFFD, the sign a wrong decoding leaves where characters were lost; "
                "it was removed: write the characters meant"
            )
            self.problems.append(Problem(self.path, at, message, "warning"))
            value = value.replace(LOST, "")
        return value

    def _clean(self, value: str, name: str) -> str:
        """clean() of the value of the key `name` (its line and quoted key found only when needed)."""
        return value if is_clean(value) else self.clean(value, self.line(name), f"'{self.original(name)}'")

    # Readers ------------------------------------------------------------------------------------

    def text(self, names: Sequence[str], *, required: bool = False, strict: bool = False) -> str | None:
        """The first present name's text; `strict`: forbidden characters are an error, not removed."""
        name = self.first(names)
        value = self.value(name) if self._present(name) else None
        if value is None:
            if required:
                self.missing(names[0], f"{names[0]}: ...")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            kind = _KINDS.get(type(value), type(value).__name__)
            self.error(name, f"must be text, not {kind}; write it as '{name}: some text' (quote it if needed)")
            return None
        if strict and find_forbidden(value):
            self.error(name, f"{value!r} holds control characters; use letters, digits, '-', '_' and '.'")
            return None
        value = self._clean(value, name).strip()
        if not value:
            if required:
                self.error(name, "is empty; give it some text")
            return None
        return value

    def date(self, names: Sequence[str], *, required: bool = False) -> datetime | None:
        name = self.first(names)
        if not self._present(name):
            if required:
                self.missing(names[0], f"{names[0]}: YYYY-MM-DD")
            return None
        value = self.value(name)
        zone = self.timestamp_zone if isinstance(value, PlainTimestamp) and self.timestamp_zone else self.zone
        try:
            return to_datetime(value, zone)
        except DateError as error:
            leading = leading_datetime(value, zone) if self.ruby_dates and isinstance(value, str) else None
            if leading is None:
                self.error(name, f"could not be read: {error}")
                return None
        moment, rest = leading
        self.warn(
            name,
            f"{value.strip()!r} is read as {moment.isoformat()}, as Jekyll reads it: what follows the date, "
            f"{rest!r}, is left out; write the date alone",
        )
        return moment

    def date_text(self, text: str, what: str) -> datetime | None:
        try:
            return to_datetime(text, self.zone)
        except DateError:
            message = f"{what} is not a real date; fix the name or add 'date: ...' ({ACCEPTED_FORMS})"
            self.problems.append(Problem(self.path, None, message))
            return None

    def enclosures(self, names: Sequence[str]) -> tuple[Enclosure, ...]:
        """A URL, a list of URLs, or entries with 'url', 'type' and 'length' (in bytes); a type not given
        is the one the URL's extension names. URLs are as written (the caller makes them absolute)."""
        name = self.first(names)
        value = self.value(name)
        if value is None:
            return ()
        items: list[Any] = value if isinstance(value, list) else [value]
        found = []
        for item in items:
            entry = {"url": item} if isinstance(item, str) else item
            if not isinstance(entry, dict) or not isinstance(entry.get("url"), str) or not entry["url"].strip():
                self.error(name, "must be a URL, a list of URLs, or entries with 'url', 'type' and 'length'")
                return ()
            url = entry["url"].strip()
            unreadable = url_error(url)
            if unreadable is not None:
                self.error(name, f"has a URL that is not one: {shown(url)} ({unreadable}); write it like /media/a.mp3")
                return ()
            if not fetched(url):
                self.error(name, f"has a URL that is no http(s) URL or path: {shown(url)}; write it like /media/a.mp3")
                return ()
            kind = entry.get("type") or mimetypes.guess_type(urlsplit(url).path)[0]
            if not isinstance(kind, str) or "/" not in kind:
                self.error(name, f"names no media type for {url!r}: add 'type: audio/mpeg' (or the file's type) to it")
                return ()
            length = entry.get("length")
            if length is not None and (isinstance(length, bool) or not str(length).isdigit()):
                self.error(name, f"must give the length of {url!r} as its size in bytes, a whole number")
                return ()
            found.append(Enclosure(url, kind, int(length) if length is not None else None))
        return tuple(found)

    def authors(self, names: Sequence[str]) -> tuple[Author, ...]:
        """A name, a list of names, or objects with name, email and url; `authors: A, B` is two."""
        name = self.first(names)
        value = self.value(name)
        if value is None:
            return ()
        if isinstance(value, str) and name == "authors":
            value = [part for part in re.split(r"[;,]", value) if part.strip()]
        items: list[Any] = value if isinstance(value, list) else [value]
        authors = []
        for item in items:
            author = self._author(item, name)
            if author is None:
                self.error(name, "must be a name, a list of names, or entries with 'name', 'email' and 'url'")
                return ()
            authors.append(author)
        return tuple(dict.fromkeys(authors))

    def _author(self, item: Any, name: str) -> Author | None:
        if isinstance(item, str) and item.strip():
            return person(self._clean(item, name))
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            return None
        parts = {key: item.get(key) for key in ("email", "url", "uri")}
        if not all(value is None or isinstance(value, str) for value in parts.values()):
            return None
        email = (parts["email"] or "").strip().removeprefix("mailto:") or None
        if email is not None and not EMAIL.fullmatch(email):
            self.error(name, f"has an e-mail address that is not one: {email!r}; write it like ann@example.org")
            email = None
        url = (parts["url"] or parts["uri"] or "").strip() or None
        if url is not None and not _absolute_url(url):
            self.error(
                name, f"has a URL that is not an absolute http(s) URL: {url!r}; write it like https://example.org/ann/"
            )
            url = None
        return Author(self._clean(item["name"], name).strip(), email=email, url=as_uri(url) if url else None)

    def words(self, names: Sequence[str], blank_separated: Collection[str] = ()) -> tuple[str, ...]:
        """Every name's words merged (tags, keywords, categories), each once, in order.

        Text is split at commas; text without commas under a name in `blank_separated` is split
        at blanks instead (Jekyll reads `tags: a b` as two tags).
        """
        seen: dict[str, None] = {}
        for name in names:
            value = self.value(name)
            if value is None:
                continue
            if isinstance(value, str):
                items: Any = value.split() if name in blank_separated and "," not in value else value.split(",")
            else:
                items = value
            if not isinstance(items, list) or not all(isinstance(item, str | int | float) for item in items):
                self.error(name, f"must be a list of words, e.g. '{name}: [feeds, python]', or 'a, b'")
                continue
            for item in items:
                word = self._clean(str(item), name).strip()
                if word:
                    seen.setdefault(word, None)
        return tuple(seen)

    def lines(self, names: Sequence[str]) -> tuple[str, ...]:
        """A list of sentences (key points)."""
        name = self.first(names)
        value = self.value(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(name, "must be a list of sentences, one per line starting with '- ' under the key")
            return ()
        cleaned = (" ".join(self._clean(item, name).split()) for item in value)
        return tuple(item for item in cleaned if item)

    def flag(self, name: str) -> bool:
        value = self.value(name)
        if value is None:
            return False
        if isinstance(value, str) and value.strip().lower() in _FLAG_WORDS:
            return value.strip().lower() in ("true", "yes")  # header dialects have only text
        if not isinstance(value, bool):
            self.error(name, f"must be true or false, not {shown(value)}")
            return False
        return value


def _is_present(name: str, value: Any) -> bool:
    # Jekyll's `published: false` is a flag; Hugo's `published: 2026-01-01` is a date.
    if name == "published" and (isinstance(value, bool) or str(value).strip().lower() in _FLAG_WORDS):
        return False
    return value is not None


def _absolute_url(url: str) -> bool:
    if url_error(url) is not None:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"[\s<>\"{}|\\^`]", url)
