"""The site's feeds as links for people and browsers: `<link rel="alternate">` tags for a page's
<head>, a "Subscribe" list, or JSON for templates (`feedpub links`, and the HTML page); pure.

The URLs are the feeds' own self links (`feeds.feed_url`), so a tag never names a file the build
does not write under that name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from html import escape

from feedpub import feeds
from feedpub.config import SiteConfig
from feedpub.feeds.topics import Topic

__all__ = ["LABELS", "MEDIA_TYPES", "FeedLink", "feed_links", "head_tags", "subscribe_html", "to_json"]

MEDIA_TYPES: Mapping[str, str] = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
LABELS: Mapping[str, str] = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass(frozen=True, slots=True)
class FeedLink:
    format: str  # "rss", "atom" or "json" ([build] formats)
    type: str  # its media type
    title: str  # "Site (RSS)", "Site: Tag (Atom)"
    url: str
    kind: str | None = None  # a topic's: "tags" or "authors"
    name: str | None = None  # the topic's name


def feed_links(config: SiteConfig, topics: Iterable[Topic] = ()) -> list[FeedLink]:
    """One link per format built ([build] formats, in the order written): the main feeds', then each topic's."""
    links = []
    for topic in [None, *topics]:
        for format in (key for key in feeds.FORMATS if key in config.formats):
            name, _ = feeds.FORMATS[format]
            links.append(
                FeedLink(
                    format=format,
                    type=MEDIA_TYPES[format],
                    title=f"{feeds.feed_title(config, topic)} ({LABELS[format]})",
                    url=feeds.feed_url(config, topic, name),
                    kind=topic.kind if topic is not None else None,
                    name=topic.name if topic is not None else None,
                )
            )
    return links


def head_tags(links: Iterable[FeedLink]) -> str:
    """The `<link rel="alternate">` tags, one a line, for a page's <head>."""
    return "".join(
        f'<link rel="alternate" type="{link.type}" title="{escape(link.title)}" href="{escape(link.url)}">\n'
        for link in links
    )


def subscribe_html(links: Iterable[FeedLink]) -> str:
    """A small "Subscribe" block: a paragraph and a list of links, for a page's body."""
    items = "".join(f'  <li><a href="{escape(link.url)}">{escape(link.title)}</a></li>\n' for link in links)
    return f'<p>Subscribe to this site in a feed reader:</p>\n<ul class="feeds">\n{items}</ul>\n'


def to_json(links: Iterable[FeedLink]) -> str:
    """A JSON array of objects (format, type, title, url; kind and name for a topic's), for templates."""
    rows = [{key: value for key, value in asdict(link).items() if value is not None} for link in links]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
