"""Which entries go into the feeds, and the feed files of every format as bytes; pure.

One module per format: `rss_atom` (RSS 2.0 and Atom 1.0, through feedgen), `jsonfeed` (JSON Feed 1.1);
`topics` says which articles each per-tag and per-author feed holds, `archives` which items each
archive page of a feed holds.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import quote

from feedpub._version import __version__
from feedpub.config import SiteConfig
from feedpub.feeds import archives
from feedpub.feeds.spec import Feed
from feedpub.feeds.topics import Topic, topics
from feedpub.model import Article, Entry, Schedule, person

__all__ = [
    "FORMATS",
    "STYLESHEET",
    "Feed",
    "Topic",
    "archive_files",
    "archives",
    "build_feeds",
    "feed_title",
    "feed_url",
    "file_url",
    "select",
    "topics",
]


def _rss(feed: Feed) -> bytes:
    from feedpub.feeds import rss_atom  # feedgen and lxml: imported by a build that writes RSS or Atom

    return rss_atom.rss(feed)


def _atom(feed: Feed) -> bytes:
    from feedpub.feeds import rss_atom

    return rss_atom.atom(feed)


def _json(feed: Feed) -> bytes:
    from feedpub.feeds import jsonfeed  # (with the HTML parser its summaries need)

    return jsonfeed.json_feed(feed)


#: Format ([build] formats) -> its file name and the function that writes it, in the order written.
FORMATS: Mapping[str, tuple[str, Callable[[Feed], bytes]]] = {
    "rss": ("rss.xml", _rss),
    "atom": ("atom.xml", _atom),
    "json": ("feed.json", _json),
}

#: The XSL stylesheet RSS and Atom name when [build] xsl is on, in the output folder (feeds/xsl.py).
STYLESHEET = "feed.xsl"

# A feed with no entries still needs a date (Atom requires one); "now" would change its bytes
# on every build, so it is a fixed one. Not the Unix epoch: the W3C validator warns that dates
# before 1990 are implausible.
EMPTY_FEED_DATE = datetime(2000, 1, 1, tzinfo=UTC)


def select(articles: Iterable[Article], limit: int, schedule: Schedule) -> tuple[Article, ...]:
    """The articles the schedule shows, newest first (ties by id), at most `limit` of them: what the
    feeds carry, chosen before anything is rendered."""
    return tuple(heapq.nsmallest(limit, (a for a in articles if schedule.shows(a)), key=Article.newest_first))


def build_feeds(
    config: SiteConfig, entries: Iterable[Entry], schedule: Schedule, topic: Topic | None = None, pages: int = 0
) -> dict[str, bytes]:
    """Every subscription feed file, name -> bytes, for the entries of the articles that `select` keeps;
    with a topic, that topic's feeds (their names under its folder, `tags/<slug>/rss.xml`). With `pages`
    archive pages, the feeds link the newest one (see `archives`)."""
    by_article = {entry.article: entry for entry in entries}
    chosen = tuple(by_article[article] for article in select(by_article, config.limit, schedule))
    # A future article shown for a preview (--future) must not date the feed in the future.
    updated = max(
        (entry.article.updated for entry in chosen if entry.article.date <= schedule.now), default=EMPTY_FEED_DATE
    )
    newest = archives.page_folder(pages) if pages else None
    return _files(config, topic, "", chosen, updated, prev_archive=newest)


def archive_files(config: SiteConfig, page: archives.Page[Entry], topic: Topic | None = None) -> dict[str, bytes]:
    """An archive page's files (`archive/<n>/atom.xml`, under the topic's folder for a topic's)."""
    updated = max((entry.article.updated for entry in page.items), default=EMPTY_FEED_DATE)
    return _files(
        config,
        topic,
        page.folder,
        page.items,
        updated,
        prev_archive=archives.page_folder(page.number - 1) if page.number > 1 else None,
        next_archive=archives.page_folder(page.number + 1) if page.full else None,
        current="",
        archive=page.full,
    )


def feed_url(config: SiteConfig, topic: Topic | None, name: str, folder: str = "") -> str:
    """The URL of a feed document: `name` (rss.xml, ...) in `folder` (an archive page's; "" for the
    subscription document) of the main feeds or of a topic's."""
    return file_url(config, (topic.folder if topic is not None else "") + folder + name)


def file_url(config: SiteConfig, relative: str) -> str:
    """The URL of a file of the output folder, by its path in it: a topic slug's letters outside ASCII
    (`tags/köln/rss.xml`) percent-encoded as UTF-8 (`tags/k%C3%B6ln/rss.xml`), which a web server
    maps back to the folder's name."""
    return config.feeds_url + quote(relative)


def feed_title(config: SiteConfig, topic: Topic | None) -> str:
    return f"{config.title}: {topic.name}" if topic is not None else config.title


def _files(
    config: SiteConfig,
    topic: Topic | None,
    folder: str,
    entries: tuple[Entry, ...],
    updated: datetime,
    *,
    prev_archive: str | None = None,
    next_archive: str | None = None,
    current: str | None = None,
    archive: bool = False,
) -> dict[str, bytes]:
    """One document of the feed in every format: `folder` is its place in the feed's folder ("" for the
    subscription document), and the links name folders of the same feed."""
    files = {}
    base = topic.folder if topic is not None else ""
    title, description = feed_title(config, topic), config.description
    if topic is not None:
        description = f"{'Articles tagged' if topic.kind == 'tags' else 'Articles by'} {topic.name} ({config.title})"

    def url(where: str | None, name: str) -> str | None:
        return feed_url(config, topic, name, where) if where is not None else None

    # RSS and Atom name the stylesheet by a path relative to the document (feeds/xsl.py says why)
    depth = (base + folder).count("/")

    for name, write in (FORMATS[key] for key in FORMATS if key in config.formats):
        feed = Feed(
            title=title,
            description=description,
            home_url=config.url,
            self_url=feed_url(config, topic, name, folder),
            id=file_url(config, base + name),  # one logical feed: its archive pages share its id
            language=config.language,
            author=person(config.author or config.title),
            updated=updated,
            generator_version=__version__,
            entries=entries,
            hubs=(config.hub,) if config.hub else (),
            icon=config.icon,
            favicon=config.favicon,
            prev_archive=url(prev_archive, name),
            next_archive=url(next_archive, name),
            current=url(current, name),
            archive=archive,
            stylesheet="../" * depth + STYLESHEET if config.xsl and name != "feed.json" else None,
        )
        files[base + folder + name] = write(feed)
    return files
