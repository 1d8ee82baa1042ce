"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): the same feed as RSS and Atom, as JSON.

Written by the standard library's json module, keys in the specification's order, two-space
indentation and a final newline, so that the same feed gives the same bytes. `summary` is plain
text in JSON Feed (the HTML summary's text), `content_html` the full content; dates are RFC 3339
with their offsets; an article's authors are `authors` (1.1; the 1.0 `author` is not written).
"""

from __future__ import annotations

import json
from typing import Any

from feedpub.feeds.spec import Feed
from feedpub.model import Author, Enclosure
from feedpub.render.markup import plain_text

__all__ = ["VERSION", "json_feed"]

VERSION = "https://jsonfeed.org/version/1.1"


def json_feed(feed: Feed) -> bytes:
    document: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.self_url,
        "description": feed.description,
        **({"next_url": feed.prev_archive} if feed.prev_archive else {}),  # the older items (feeds/archives.py)
        **({"icon": feed.icon} if feed.icon else {}),
        **({"favicon": feed.favicon} if feed.favicon else {}),
        "authors": [_person(feed.author)],
        "language": feed.language,
        "items": [],
    }
    if feed.hubs:
        document["hubs"] = [{"type": "WebSub", "url": hub} for hub in feed.hubs]
    for entry in feed.entries:
        article = entry.article
        item: dict[str, Any] = {"id": article.id, "url": article.url, "title": article.title}
        if entry.content_html:
            item["content_html"] = entry.content_html
        summary = plain_text(entry.summary_html)
        if summary:
            item["summary"] = summary
        if article.image:
            item["image"] = article.image
        item["date_published"] = article.date.isoformat()
        item["date_modified"] = article.updated.isoformat()
        if article.authors:
            item["authors"] = [_person(author) for author in article.authors]
        if article.tags:
            item["tags"] = list(article.tags)
        if article.language:
            item["language"] = article.language
        if entry.enclosures:
            item["attachments"] = [_attachment(enclosure) for enclosure in entry.enclosures]
        if "content_html" not in item:  # an item needs content_html or content_text
            item["content_text"] = summary or article.title
        document["items"].append(item)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _attachment(enclosure: Enclosure) -> dict[str, Any]:
    attachment: dict[str, Any] = {"url": enclosure.url, "mime_type": enclosure.type}
    if enclosure.length is not None:
        attachment["size_in_bytes"] = enclosure.length
    return attachment


def _person(author: Author) -> dict[str, str]:
    """A JSON Feed author: a name, and a URL where known (JSON Feed has no e-mail; a mailto: URL is the way)."""
    person = {"name": author.name}
    if author.url:
        person["url"] = author.url
    elif author.email:
        person["url"] = f"mailto:{author.email}"
    return person
