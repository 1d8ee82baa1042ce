"""`Feed`: everything a feed format needs to write one feed file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feedpub.model import Author, Entry

__all__ = ["GENERATOR", "Feed"]

GENERATOR = "feedpub"


@dataclass(frozen=True, slots=True)
class Feed:
    title: str
    description: str
    home_url: str
    self_url: str
    id: str
    language: str
    author: Author
    updated: datetime
    generator_version: str
    entries: tuple[Entry, ...]
    hubs: tuple[str, ...] = ()  # WebSub hubs
    icon: str | None = None  # [site] icon: JSON Feed icon, Atom logo, RSS image
    favicon: str | None = None  # [site] favicon: JSON Feed favicon, Atom icon
    # RFC 5005 (feeds/archives.py): the links between a feed's documents, and whether this one is a
    # full archive page (fh:archive), whose entries never change.
    prev_archive: str | None = None
    next_archive: str | None = None
    current: str | None = None
    archive: bool = False
    stylesheet: str | None = None  # RSS and Atom: the href of an XSL stylesheet (<?xml-stylesheet?>)

    def links(self) -> list[tuple[str, str]]:
        """(rel, href) of the links to the feed's other documents: WebSub hubs, then RFC 5005's."""
        links = [("hub", hub) for hub in self.hubs]
        for rel, href in (
            ("current", self.current),
            ("prev-archive", self.prev_archive),
            ("next-archive", self.next_archive),
        ):
            if href is not None:
                links.append((rel, href))
        return links
