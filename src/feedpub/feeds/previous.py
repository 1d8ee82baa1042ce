"""What the feeds held last time: read back from the files the previous build wrote.

An article that disappears from a feed while it is newer than the feed's oldest item did not
age out: it was deleted, made a draft, dated in the future, or given another id, and every
subscriber's reader has it already. The build says so (a warning), so that it is a choice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from lxml import etree

from feedpub.model import Entry

__all__ = ["items_of", "vanished"]

_ATOM = "{http://www.w3.org/2005/Atom}"


def items_of(name: str, data: bytes) -> list[tuple[str, datetime, str]]:
    """The (id, date published, title) of each item of a feed file feedpub wrote; [] if unreadable."""
    try:
        if name.endswith(".json"):
            return [
                (item["id"], datetime.fromisoformat(item["date_published"]), item.get("title", ""))
                for item in json.loads(data)["items"]
            ]
        if name.endswith("atom.xml"):
            root = etree.fromstring(data)
            return [
                (
                    entry.findtext(f"{_ATOM}id") or "",
                    datetime.fromisoformat(entry.findtext(f"{_ATOM}published") or ""),
                    entry.findtext(f"{_ATOM}title") or "",
                )
                for entry in root.iter(f"{_ATOM}entry")
            ]
    except (ValueError, KeyError, TypeError, etree.XMLSyntaxError):
        return []
    return []


def vanished(previous: Iterable[tuple[str, datetime, str]], entries: Iterable[Entry]) -> list[tuple[str, str]]:
    """The (id, title) of the previous items missing now though newer than the oldest item now."""
    now = list(entries)
    if not now:
        return []
    ids = {entry.article.id for entry in now}
    oldest = min(entry.article.date for entry in now)
    return [(ident, title) for ident, date, title in previous if ident not in ids and date > oldest]
