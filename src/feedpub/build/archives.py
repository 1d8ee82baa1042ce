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

import gc
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from feedpub import feeds
from feedpub.build.cache import Cache, digest
from feedpub.build.incremental import Fresh, Rendering, config_digest
from feedpub.build.made import MadeFiles
from feedpub.build.records import SiteArticles
from feedpub.config import SiteConfig
from feedpub.errors import FeedpubError, Problem
from feedpub.feeds.archives import FOLDER, Page, pages
from feedpub.model import Article, Entry, Schedule
from feedpub.output import Staging, stage_file, write_error

if TYPE_CHECKING:
    from concurrent.futures import Future  # the module costs 40 ms to import: a cold build's only

__all__ = ["ArchiveWriter", "Sink", "archived", "stale_files", "without_since"]


class Sink(Protocol):
    """Where pages go: output.Staging, or (for a build that writes nothing) a dict's keeper."""

    def add(self, name: str, data: bytes) -> None: ...
    def keep(self, name: str) -> None: ...


# What a page does not depend on: where files go, and what chooses its items (the items are in the key).
_NOT_IN_PAGES = frozenset({"output", "cache", "path", "limit", "since", "tag_feeds", "author_feeds", "html_page"})


def archived(
    articles: SiteArticles, schedule: Schedule, subscribed: Sequence[Article], among: Sequence[int] | None = None
) -> list[int]:
    """The indexes (into `articles`) of the archived articles of a feed, oldest first: those the schedule
    shows, `[build] since` aside, that the subscription documents do not carry; `among` the feed's own
    articles (a topic's), all articles when None."""
    columns = articles.heads.columns
    dates, ids, paths = columns.date, columns.id, columns.path
    carried = {str(article.path) for article in subscribed}
    shown = articles.heads.shown(schedule, since=False, among=among)
    shown = sorted(shown, key=lambda index: (-dates[index], ids[index]), reverse=True)
    return [index for index in shown if paths[index] not in carried]


@dataclass(slots=True)
class _Todo:
    topic: feeds.Topic | None
    page: Page[int]
    names: list[str]
    key: bytes | None


@dataclass(slots=True)
class ArchiveWriter:
    """Stages every archive page of every feed of one build, keeping the pages that did not change.

    `write` keeps each unchanged page and queues the others; `finish` makes the queued pages: the
    main feed's first (which renders every article a page lacks), then the topics' (whose articles
    are the main feed's, rendered by then). With `jobs` > 1 and enough to render, worker processes
    make the pages side by side: each renders what its page lacks, writes the page's files as
    temporary files, and hands back the renders for the cache; the bytes are the same either way.
    """

    config: SiteConfig
    articles: SiteArticles
    rendering: Rendering
    cache: Cache
    staging: Sink
    errors: list[Problem] = field(default_factory=list)
    kept: int = 0
    made: int = 0
    produced: set[str] = field(default_factory=set)  # every file name staged or kept
    _todo: list[_Todo] = field(default_factory=list)
    records: MadeFiles = field(init=False)
    _base: str = ""

    def __post_init__(self) -> None:
        self._base = config_digest(self.config, _NOT_IN_PAGES)
        self.records = MadeFiles(self.cache, self.config.output, self.rendering.renderer_answers)

    def pages(self, archived: Sequence[int]) -> list[Page[int]]:
        return pages(archived, self.config.archive_size)

    def write(self, plan: Sequence[Page[int]], topic: feeds.Topic | None = None) -> None:
        """Keep the unchanged pages of one feed (the main one, or a topic's); queue the others for `finish`."""
        paths = self.articles.heads.columns.path
        folder = topic.folder if topic is not None else ""
        for page in plan:
            names = [folder + page.folder + feeds.FORMATS[key][0] for key in self.config.formats]
            self.produced.update(names)
            render_keys = [self.rendering.key(paths[index]) for index in page.items]
            key = self._page_key(page, folder, render_keys)
            if key is not None and all(self.records.as_recorded(name, key) for name in names):
                for name in names:
                    self.staging.keep(name)
                for render_key in render_keys:
                    if render_key is not None:
                        self.cache.keep(render_key)
                self.kept += 1
            else:
                self._todo.append(_Todo(topic, page, names, key))

    def finish(self, jobs: int = 1) -> None:
        """Make the queued pages (see the class's docstring)."""
        waves = [[todo for todo in self._todo if todo.topic is None], [todo for todo in self._todo if todo.topic]]
        self._todo = []
        parallel = jobs > 1 and isinstance(self.staging, Staging) and _can_fork()
        for wave in waves:
            if parallel and self._much_to_render(wave):
                self._make_in_parallel(wave, jobs)
            else:
                for todo in wave:
                    self._make(todo)

    def _make(self, todo: _Todo) -> None:
        chosen = [self.articles.passing(index) for index in todo.page.items]
        entries, problems = self.rendering.entries(chosen)
        errors = [problem for problem in problems if problem.severity == "error"]
        done: Page[Entry] = Page(todo.page.number, tuple(entries), todo.page.full, todo.page.newest)
        for name, data in feeds.archive_files(self.config, done, todo.topic).items():
            self.staging.add(name, data)
        self._made(todo, chosen, errors)

    def _made(self, todo: _Todo, chosen: list[Article], errors: list[Problem]) -> None:
        self.errors += errors
        self.made += 1
        if todo.key is not None and not errors and not any(str(a.path) in self.rendering.uncached for a in chosen):
            looked_up = self.rendering.looked_up(chosen)
            for name in todo.names:
                self.records.record(name, todo.key, looked_up)

    def _make_in_parallel(self, wave: list[_Todo], jobs: int) -> None:
        from concurrent.futures import ProcessPoolExecutor  # a cold build's; a warm one does without

        from feedpub.build.incremental import _context

        staging = self.staging
        assert isinstance(staging, Staging)
        global _WORKER  # what the forked workers inherit
        _WORKER = (self.config, self.rendering, staging.folder)
        index = self.rendering.renderer.index
        if index is not None:
            index.ready()  # its maps made once, before the workers fork, not in each
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=gc.freeze) as pool:
            pending: list[tuple[_Todo, list[Article], Future[_PageDone]]] = []

            def collect(first: int) -> None:
                for todo, chosen, future in pending[:first]:
                    fresh, files, errors = _result(future, staging.folder)
                    for position, made in fresh:
                        self.rendering.store(chosen[position], made)
                    for name, temporary in files:
                        staging.adopt(name, temporary, synced=False)  # this process syncs it meanwhile
                    self._made(todo, chosen, errors)
                del pending[:first]

            for todo in wave:  # a bounded window: a page's entries are in memory only while it is made
                chosen = [self.articles.passing(index) for index in todo.page.items]
                entries = [self.rendering.cached(article) for article in chosen]
                task = (todo.topic, todo.page.number, todo.page.full, todo.page.newest, chosen, entries)
                pending.append((todo, chosen, pool.submit(_make_page, task)))
                if len(pending) >= 2 * jobs:
                    collect(jobs)
            collect(len(pending))
        staging.wait_for_syncs()  # before the next wave forks its workers

    def _much_to_render(self, wave: list[_Todo]) -> bool:
        """Whether the pages lack PARALLEL_FROM renders or more (counted only that far)."""
        lacking = 0
        for todo in wave:
            for index in todo.page.items:
                key = self.rendering.key(self.articles.heads.columns.path[index])
                lacking += key is None or not self.cache.has_rendered(key)
                if lacking >= PARALLEL_FROM:
                    return True
        return False

    def _page_key(self, page: Page[int], folder: str, render_keys: Sequence[bytes | None]) -> bytes | None:
        """What the page is made from (its items' render keys given, in order); None without a cache."""
        if None in render_keys:
            return None
        columns = self.articles.heads.columns
        parts = [self._base, folder, f"{page.number} {page.full} {page.newest}"]
        for index, render_key in zip(page.items, render_keys, strict=True):
            parts.append(f"{columns.path[index]}\0{columns.id[index]}\0{render_key.hex()}")  # type: ignore[union-attr]
        return digest(*parts)


def _can_fork() -> bool:
    """Workers inherit the build's state by fork (where the system has it; elsewhere, one process)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _result(future: Future[_PageDone], folder: Path) -> _PageDone:
    """A worker's page; a file it could not write, or a worker that died, is a one-line error."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except OSError as error:
        raise write_error(error, folder) from None
    except BrokenProcessPool:
        raise FeedpubError(
            "a worker process making the archive pages died (out of memory?); the old feeds are unchanged: "
            "build again, or with --jobs 1"
        ) from None


# Below this many articles to render, starting worker processes costs more than it saves.
PARALLEL_FROM = 400
_WORKER: tuple[SiteConfig, Rendering, Path] | None = None
_Task = tuple[feeds.Topic | None, int, bool, bool, list[Article], list[tuple[Entry, list[Problem]] | None]]
_PageDone = tuple[list[tuple[int, Fresh]], list[tuple[str, Path | None]], list[Problem]]


def _make_page(task: _Task) -> _PageDone:
    """In a worker: render what the page lacks, write its files as temporary files beside their places."""
    assert _WORKER is not None
    config, rendering, folder = _WORKER
    topic, number, full, newest, chosen, cached = task
    entries: list[Entry] = []
    fresh: list[tuple[int, Fresh]] = []
    errors: list[Problem] = []
    for position, (article, found) in enumerate(zip(chosen, cached, strict=True)):
        if found is not None:
            entries.append(found[0])
            continue
        made = rendering.fresh(article)
        fresh.append((position, rendering.packed(made)))
        if made.entry is not None:
            entries.append(made.entry)
        errors += [problem for problem in made.problems if problem.severity == "error"]
    done: Page[Entry] = Page(number, tuple(entries), full, newest)
    written = feeds.archive_files(config, done, topic).items()
    files = [(name, stage_file(folder, name, data, sync=False)) for name, data in written]
    return fresh, files, errors


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
