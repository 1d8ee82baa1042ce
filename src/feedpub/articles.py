"""Article files in, `Article` values out.

`read_sources` is the one function here that touches the disk; everything else is pure, so a
cache can sit between reading a file and parsing it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from feedpub.config import SiteConfig
from feedpub.dates import DateError, to_datetime
from feedpub.errors import LineError, Problem
from feedpub.frontmatter import FrontMatter, split
from feedpub.model import Article, Author, Source

__all__ = ["KNOWN_KEYS", "parse_article", "parse_articles", "read_sources"]

KNOWN_KEYS = ("title", "date", "summary", "author", "tags", "updated", "slug", "id", "draft")
ARTICLE_SUFFIXES = (".md",)

# XML 1.0 forbids these; lxml refuses them, so they are taken out (with a warning) before rendering.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SLUG_OK = re.compile(r"[\w.~-]+")


def read_sources(folder: Path) -> tuple[list[Source], list[Problem]]:
    """Every article file under `folder` (hidden files and folders skipped), in path order."""
    if not folder.is_dir():
        problem = Problem(folder, None, "the articles folder does not exist; create it or set [build] articles")
        return [], [problem]
    sources: list[Source] = []
    problems: list[Problem] = []
    paths = (
        path
        for path in folder.rglob("*")
        if path.suffix in ARTICLE_SUFFIXES and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    for path in sorted(paths, key=lambda p: p.relative_to(folder).as_posix()):
        try:
            data = path.read_bytes()
        except OSError as error:
            problems.append(Problem(path, None, f"could not be read: {error.strerror}; check its permissions"))
            continue
        try:
            sources.append(Source(path, data.decode("utf-8")))
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            problems.append(Problem(path, line, f"is not UTF-8 text (byte {data[error.start]:#04x}); save it as UTF-8"))
    return sources, problems


def parse_articles(sources: Iterable[Source], config: SiteConfig) -> tuple[list[Article], list[Problem]]:
    """Parse every source; problems (errors and warnings) of all of them, duplicates included."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for source in sources:
        article, found = parse_article(source, config)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    problems.extend(_duplicates(articles, "id", lambda a: a.id))
    problems.extend(_duplicates(articles, "URL", lambda a: a.url))
    return articles, problems


def parse_article(source: Source, config: SiteConfig) -> tuple[Article | None, list[Problem]]:
    """One article from its text; None when it has errors (all of them are returned)."""
    problems: list[Problem] = []
    path = source.path
    try:
        front = split(source.text)
    except LineError as error:
        return None, [Problem(path, error.line, error.message)]
    reader = _Fields(path, front, config, problems)

    for key in front.meta:
        if key not in KNOWN_KEYS:
            guess = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else "; it is left out of the feed"
            problems.append(Problem(path, front.lines.get(key), f"'{key}': unknown key{hint}", "warning"))

    title = reader.text("title", required=True)
    date = reader.date("date", required=True)
    updated = reader.date("updated")
    summary = reader.text("summary")
    slug = reader.text("slug")
    explicit_id = reader.text("id")
    authors = reader.authors("author")
    tags = reader.tags("tags")
    draft = reader.flag("draft")
    body = reader.clean(front.body, front.body_line, "the body")

    if slug is not None and not _SLUG_OK.fullmatch(slug):
        reader.error("slug", f"'{slug}' cannot be part of a URL; use letters, digits, '-', '_', '.' and no '/'")
    if explicit_id is not None and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S+$", explicit_id):
        reader.error("id", f"'{explicit_id}' is not a URI; feeds need one, e.g. 'tag:{config.host},2026:{explicit_id}'")
    if any(p.severity == "error" for p in problems) or title is None or date is None:
        return None, problems
    if updated is not None and updated < date:
        reader.warn("updated", "is earlier than 'date'; the feed uses 'date' as the updated time")
        updated = None

    slug = slug or _slugify(path.stem)
    url = _permalink(config, date, slug)
    article = Article(
        path=path,
        title=title,
        date=date,
        updated=updated or date,
        slug=slug,
        url=url,
        id=explicit_id or f"tag:{config.host},{date.date().isoformat()}:{slug}",
        summary=summary,
        body=body,
        body_line=front.body_line,
        authors=authors,
        tags=tags,
        draft=draft,
    )
    return article, problems


class _Fields:
    """Reads typed values out of front matter, recording a problem (with its line) for each bad one."""

    def __init__(self, path: Path, front: FrontMatter, config: SiteConfig, problems: list[Problem]) -> None:
        self.path = path
        self.front = front
        self.config = config
        self.problems = problems

    def line(self, key: str) -> int:
        return self.front.lines.get(key, self.front.start_line)

    def error(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(key), f"'{key}' {message}"))

    def warn(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(key), f"'{key}' {message}", "warning"))

    def clean(self, value: str, line: int, what: str) -> str:
        """`value` without characters XML forbids, with a warning naming where they were."""
        if not _FORBIDDEN.search(value):
            return value
        first = _FORBIDDEN.search(value)
        assert first is not None
        at = line + value.count("\n", 0, first.start())
        self.problems.append(
            Problem(self.path, at, f"{what} holds control characters XML forbids; they were removed", "warning")
        )
        return _FORBIDDEN.sub("", value)

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.front.meta.get(key)
        if value is None:
            if required:
                self.problems.append(
                    Problem(
                        self.path, self.line(key), f"'{key}' is missing; add a line '{key}: ...' to the front matter"
                    )
                )
            return None
        if not isinstance(value, str):
            kind = {bool: "true/false", list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
            self.error(key, f"must be text, not {kind}; write it as '{key}: some text' (quote it if needed)")
            return None
        value = self.clean(value, self.line(key), f"'{key}'").strip()
        if not value:
            if required:
                self.error(key, "is empty; give it some text")
            return None
        return value

    def date(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.front.meta.get(key)
        if value is None:
            if required:
                self.problems.append(
                    Problem(
                        self.path,
                        self.line(key),
                        f"'{key}' is missing; add a line '{key}: YYYY-MM-DD' to the front matter",
                    )
                )
            return None
        try:
            return to_datetime(value, self.config.timezone)
        except DateError as error:
            self.error(key, f"could not be read: {error}")
            return None

    def authors(self, key: str) -> tuple[Author, ...]:
        value = self.front.meta.get(key)
        names: list[Any] = value if isinstance(value, list) else [] if value is None else [value]
        authors = []
        for name in names:
            if not isinstance(name, str) or not name.strip():
                self.error(key, "must be a name or a list of names")
                return ()
            authors.append(Author(self.clean(name, self.line(key), f"'{key}'").strip()))
        return tuple(authors)

    def tags(self, key: str) -> tuple[str, ...]:
        value = self.front.meta.get(key)
        if value is None:
            return ()
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            self.error(key, "must be a list of words, e.g. 'tags: [feeds, python]'")
            return ()
        seen: dict[str, None] = {}
        for item in items:
            tag = self.clean(item, self.line(key), f"'{key}'").strip()
            if tag:
                seen.setdefault(tag, None)
        return tuple(seen)

    def flag(self, key: str) -> bool:
        value = self.front.meta.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, not '{value}'")
            return False
        return value


def _slugify(stem: str) -> str:
    """A URL slug from a file name: lower case, words joined by '-', letters of any script kept."""
    text = unicodedata.normalize("NFC", stem).lower()
    text = re.sub(r"[^\w.~-]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-.") or "article"


def _permalink(config: SiteConfig, date: datetime, slug: str) -> str:
    local = date.astimezone(config.timezone)
    path = config.permalink.format(
        year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}", slug=quote(slug)
    )
    return urljoin(config.url, path.lstrip("/"))


def _duplicates(articles: list[Article], what: str, key: Any) -> list[Problem]:
    first: dict[str, Article] = {}
    problems = []
    for article in articles:
        value = key(article)
        if value in first:
            other = first[value].path
            problems.append(
                Problem(
                    article.path,
                    None,
                    f"has the same {what} as {other} ({value}); give one of them another "
                    + ("'id'" if what == "id" else "'slug'"),
                )
            )
        else:
            first[value] = article
    return problems
