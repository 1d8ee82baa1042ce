"""The values that flow through the pipeline; frozen, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = ["Article", "Author", "Entry", "Source"]


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


@dataclass(frozen=True, slots=True)
class Entry:
    """An article rendered for a feed: its HTML summary and full content."""

    article: Article
    summary_html: str
    content_html: str
