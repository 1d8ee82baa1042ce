"""Full history as RFC 5005 archived feeds (`[build] archive_size`): which items each page holds.

The subscription documents (`rss.xml`, `atom.xml`, `feed.json`) keep the newest `limit` items.
Every older item the schedule shows (`[build] since` aside: it keeps old items out of the
subscription documents only) is on an archive page under `archive/<n>/`, with the same file
names. Pages are counted from the oldest item: page 1 holds the oldest `size` items, page 2 the
next `size`, and so on, newest first within a page. A new article only ever reaches the newest
page (the items leaving the subscription document are newer than every archived one), so a page
once full keeps its items, and its bytes, until one of its own articles is edited or removed.

The newest page is open: it takes the items that leave the subscription document. It is not
marked `fh:archive`, which promises entries that never change, until it is full; a full newest
page is followed by an empty open one, so that a full page links its `next-archive` from the
start and is never written again. Every page links `current` (the subscription document) and
`prev-archive` (the page before, from page 2 on); full pages link `next-archive`; the
subscription document links `prev-archive` to the newest page. JSON Feed has no archives: its
`next_url` follows the same chain, from the newest items to the oldest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["FOLDER", "Page", "page_folder", "pages"]

FOLDER = "archive/"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    number: int  # from 1, the oldest
    items: tuple[T, ...]  # newest first, as in every feed
    full: bool  # a full page never changes: fh:archive
    newest: bool

    @property
    def folder(self) -> str:
        return page_folder(self.number)


def page_folder(number: int) -> str:
    return f"{FOLDER}{number}/"


def pages(archived: Sequence[T], size: int) -> list[Page[T]]:
    """The archive pages of `archived` (oldest first), `size` items each; none when nothing is archived
    or `size` is 0. When the newest page is full, an empty open page follows it."""
    if not archived or size <= 0:
        return []
    count = len(archived) // size + 1
    return [
        Page(
            number=number,
            items=tuple(reversed(archived[(number - 1) * size : number * size])),
            full=number * size <= len(archived),
            newest=number == count,
        )
        for number in range(1, count + 1)
    ]
