"""Per-tag and per-author feeds (`[build] tag_feeds`, `author_feeds`): which articles each one holds.

Each topic gets the main feeds' files under `tags/<slug>/` or `authors/<slug>/` in the output
folder. Slugs keep the letters of every script (`Köln` → `köln`, `日本` → `日本`), in Unicode's
NFC form and lower case, other characters becoming `-`; they depend on the name alone, so a
feed's address never changes while its name does not. Names that give the same slug (`C++` and
`C`, `Python` and `python`) share one feed, and a warning says so, naming them: never silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.errors import Problem
from feedpub.model import Article

__all__ = ["Topic", "topic_slug", "topics"]


@dataclass(slots=True)
class Topic:
    kind: str  # "tags" or "authors"
    slug: str
    names: list[str] = field(default_factory=list)  # as written, in the order first met
    articles: list[Article] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return f"{self.kind}/{self.slug}/"

    @property
    def name(self) -> str:
        return " / ".join(self.names)


def topic_slug(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub(r"[^\w]+", "-", text).strip("-")
    return text or "-"


def topics(
    articles: Iterable[Article], tags: bool, authors: bool, config_path: Path | None = None
) -> tuple[list[Topic], list[Problem]]:
    """The topics the articles name (sorted by kind, then slug), and a warning for each slug two names share."""
    found: dict[tuple[str, str], Topic] = {}
    for article in articles:
        names = [("tags", tag) for tag in article.tags] if tags else []
        names += [("authors", author.name) for author in article.authors] if authors else []
        for kind, name in dict.fromkeys(names):
            topic = found.setdefault((kind, topic_slug(name)), Topic(kind, topic_slug(name)))
            if name not in topic.names:
                topic.names.append(name)
            if not topic.articles or topic.articles[-1] is not article:
                topic.articles.append(article)
    problems = []
    for topic in found.values():
        if len(topic.names) > 1:
            spelled = ", ".join(f"'{name}'" for name in topic.names)
            message = (
                f"the {topic.kind[:-1]} names {spelled} give the same feed, {topic.folder}; "
                "they share it (write them alike to silence this)"
            )
            where = config_path or next(iter(topic.articles)).path
            problems.append(Problem(where, None, message, "warning"))
    return sorted(found.values(), key=lambda topic: (topic.kind, topic.slug)), problems
