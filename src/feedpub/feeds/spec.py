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
