"""A build's archive pages (what each holds: feeds/archives.py), each made only when it would change.

A full page's bytes follow from its articles' entries and the feed's settings alone, so its record
in the build cache is a digest of those (the page key: each article's path, id and render key, the
configuration, feedpub's version) with the status of the file written. A page whose key and file
are as recorded is kept unread: a build where one article changed renders and writes only the
pages holding it (and the open newest page, the subscription documents). Without the cache, or
for a page holding an article whose rendering read other files, every page is made again; the
bytes are the same either way, and `Staging` writes only what differs.

Rendering an archived article reports its errors (the page cannot be made without it) but not its
warnings: as for any article the subscription documents do not carry, those are `check`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from feedpub import feeds
from feedpub.build.cache import Cache, digest, stat_key
from feedpub.build.incremental import Rendering, config_digest
from feedpub.build.records import SiteArticles
from feedpub.config import SiteConfig
from feedpub.errors import Problem
from feedpub.feeds.archives import FOLDER, Page, pages
from feedpub.model import Article, Entry, Schedule

__all__ = ["ArchiveWriter", "Sink", "archived", "stale_files", "without_since"]


class Sink(Protocol):
    """Where pages go: output.Staging, or (for a build that writes nothing) a dict's keeper."""

    def add(self, name: str, data: bytes) -> None: ...
    def keep(self, name: str) -> None: ...


# What a page does not depend on: where files go, and what chooses its items (the items are in the key).
_NOT_IN_PAGES = frozenset({"output", "cache", "path", "limit", "since", "tag_feeds", "author_feeds"})


def archived(
    articles: SiteArticles, schedule: Schedule, subscribed: Sequence[Article], among: Sequence[int] | None = None
) -> list[int]:
    """The indexes (into `articles`) of the archived articles of a feed, oldest first: those the schedule
    shows, `[build] since` aside, that the subscription documents do not carry; `among` the feed's own
    articles (a topic's), all articles when None."""
    heads = articles.heads
    now = schedule.now.timestamp()
    candidates = range(len(heads)) if among is None else among
    shown = [index for index in candidates if heads[index].shows(schedule, now, None)]
    carried = {str(article.path) for article in subscribed}
    shown.sort(key=lambda index: heads[index].newest_first(), reverse=True)
    return [index for index in shown if heads[index].path not in carried]


@dataclass(slots=True)
class ArchiveWriter:
    """Stages every archive page of every feed of one build, keeping the pages that did not change."""

    config: SiteConfig
    articles: SiteArticles
    rendering: Rendering
    cache: Cache
    staging: Sink
    errors: list[Problem] = field(default_factory=list)
    kept: int = 0
    made: int = 0
    produced: set[str] = field(default_factory=set)  # every file name staged or kept
    _records: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, page key) to record
    _base: str = ""

    def __post_init__(self) -> None:
        self._base = config_digest(self.config, _NOT_IN_PAGES)

    def pages(self, archived: Sequence[int]) -> list[Page[int]]:
        return pages(archived, self.config.archive_size)

    def write(self, plan: Sequence[Page[int]], topic: feeds.Topic | None = None) -> None:
        """Stage the pages of one feed (the main one, or a topic's)."""
        heads = self.articles.heads
        folder = topic.folder if topic is not None else ""
        for page in plan:
            names = [folder + page.folder + feeds.FORMATS[key][0] for key in self.config.formats]
            self.produced.update(names)
            key = self._page_key(page, folder)
            if key is not None and all(self._as_recorded(name, key) for name in names):
                for name in names:
                    self.staging.keep(name)
                    self.cache.keep(_record_key(name, key))
                for index in page.items:
                    render_key = self.rendering.key(heads[index].path)
                    if render_key is not None:
                        self.cache.keep(render_key)
                self.kept += 1
                continue
            chosen = [self.articles[index] for index in page.items]
            entries, problems = self.rendering.entries(chosen)
            errors = [problem for problem in problems if problem.severity == "error"]
            self.errors += errors
            done: Page[Entry] = Page(page.number, tuple(entries), page.full, page.newest)
            for name, data in feeds.archive_files(self.config, done, topic).items():
                self.staging.add(name, data)
            self.made += 1
            if key is not None and not errors and not any(str(a.path) in self.rendering.uncached for a in chosen):
                self._records += [(name, key) for name in names]

    def remember(self) -> None:
        """After the files are in place: record each page made, with the status of its files."""
        for name, key in self._records:
            try:
                status = (self.config.output / name).stat()
            except OSError:
                continue
            self.cache.store_rendered(_record_key(name, key), stat_key(status))

    def _page_key(self, page: Page[int], folder: str) -> bytes | None:
        heads = self.articles.heads
        parts = [self._base, folder, f"{page.number} {page.full} {page.newest}"]
        for index in page.items:
            render_key = self.rendering.key(heads[index].path)
            if render_key is None:
                return None
            parts.append(f"{heads[index].path}\0{heads[index].id}\0{render_key.hex()}")
        return digest(*parts)

    def _as_recorded(self, name: str, key: bytes) -> bool:
        stored = self.cache.rendered(_record_key(name, key))
        if not isinstance(stored, str):
            return False
        try:
            return stat_key((self.config.output / name).stat()) == stored
        except OSError:
            return False


def _record_key(name: str, key: bytes) -> bytes:
    return digest("archive page", name, key)


def stale_files(config: SiteConfig, produced: set[str]) -> list[Path]:
    """Feed files a build of this site wrote before and would not write now: archive pages past the
    last, the feeds of a tag or author no article names now, the formats left out of `[build] formats`,
    in the folders feedpub makes (`archive/`, `tags/`, `authors/`). A file is taken for feedpub's only
    when it names this site's feeds URL near its top; any other file is left alone."""
    output = config.output
    names = [name for name, _ in feeds.FORMATS.values()]
    patterns = [f"{FOLDER}*/{{}}", "tags/*/{}", f"tags/*/{FOLDER}*/{{}}", "authors/*/{}", f"authors/*/{FOLDER}*/{{}}"]
    marker = config.feeds_url.encode("utf-8")
    stale = []
    for pattern in patterns:
        for name in names:
            for path in sorted(output.glob(pattern.format(name))):
                if path.relative_to(output).as_posix() in produced or not path.is_file():
                    continue
                try:
                    with path.open("rb") as stream:
                        head = stream.read(4096)
                except OSError:
                    continue
                if marker in head:
                    stale.append(path)
    return stale


def without_since(schedule: Schedule) -> Schedule:
    """The schedule of the archives: `[build] since` keeps old articles out of the subscription documents only."""
    return replace(schedule, since=None)
