"""`Feed`: everything a feed format needs to write one feed file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedpub.errors import Problem
from feedpub.feeds.archives import FOLDER
from feedpub.model import Author, Entry

__all__ = ["FEED_NAMES", "GENERATOR", "LARGE_FEED", "Feed", "large_feed"]

GENERATOR = "feedpub"
FEED_NAMES = ("rss.xml", "atom.xml", "feed.json")  # the files of a feed (feeds.FORMATS writes them)

# The W3C Feed Validation Service refuses to check a feed larger than this ("hardcoded resource
# limits (feed length > 5000000 bytes)"), and every subscriber's reader fetches a feed whole.
LARGE_FEED = 5_000_000


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


def large_feed(path: Path, name: str, size: int) -> Problem | None:
    """A warning for a feed file (`name`, relative to the output folder) of `size` bytes past LARGE_FEED;
    None for one within it, or for a file that is not a feed (index.html, feed.xsl)."""
    parts = name.split("/")
    if size <= LARGE_FEED or parts[-1] not in FEED_NAMES:
        return None
    archive_page = len(parts) >= 3 and f"{parts[-3]}/" == FOLDER and parts[-2].isdigit()  # [.../]archive/<n>/
    knob = "[build] archive_size (items per archive page)" if archive_page else "[build] limit"
    message = (
        f"is {size / 1e6:.1f} MB, more than the W3C Feed Validation Service checks (5 MB) and a lot for "
        f"every reader to fetch; lower {knob} to make it smaller"
    )
    return Problem(path, None, message, "warning")
