"""Reading and rendering a site through the build cache: a build costs what changed.

An article file is looked at only when the look at its folder saw it change (build/snapshot.py; else
every file is, by its status), parsed only when its bytes changed, and only the articles the feeds
carry are rendered, each only when something it is rendered from changed (the files a render
looked at among them). The
articles kept in memory have no body (`Article.body` is ""), so that memory does not grow with
the archive; an article to render is read again. What this gives is byte for byte what an
uncached build gives (a property test holds it to that).
"""

from __future__ import annotations

import bisect
import dataclasses
import gc
import heapq
import operator
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedpub._version import __version__
from feedpub.build.cache import Cache, FileRecord, digest, file_status, hasher, packed, stat_key
from feedpub.build.quick import Listing, file_stats
from feedpub.build.records import Head, Heads, SiteArticles, decode_article, decode_problems, encode
from feedpub.build.snapshot import Changes, Files, Snapshot
from feedpub.config import CONFIG_FILE, SiteConfig
from feedpub.errors import ConfigError, FeedpubError, LineError, Problem
from feedpub.model import Article, Entry, Schedule
from feedpub.read.articles import check_duplicates, parse_article
from feedpub.read.fields import is_clean
from feedpub.read.frontmatter import DOCUMENT_SUFFIXES, normalize
from feedpub.read.sources import SECTION_PAGES, find_source_names, inside, is_article_file, read_source
from feedpub.render.links import Linked

if TYPE_CHECKING:  # the renderer is imported by a build that renders
    from feedpub.render import Renderer

__all__ = [
    "Progress",
    "Rendering",
    "Stats",
    "choose",
    "cpu_count",
    "make_renderer",
    "next_change",
    "parse_key",
    "read_articles",
]

#: Called as progress(done, total) while files are parsed.
Progress = Callable[[int, int], None]

# Config values that do not change what an article file parses to, nor how it renders.
_OUTPUT_ONLY = frozenset(
    {
        "limit",
        "output",
        "cache",
        "formats",
        "since",
        "tag_feeds",
        "author_feeds",
        "archive_size",
        "path",
        "title",
        "description",
        "feeds_url",
        "author",
        "language",
        "icon",
        "favicon",
        "hub",
        "html_page",
        "xsl",
    }
)
# Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_FROM = 400
_CHUNK = 100


@dataclass(slots=True)
class Stats:
    """What a build did: files looked at, parsed afresh, entries rendered afresh and from the cache."""

    files: int = 0
    parsed: int = 0
    rendered: int = 0
    rendered_cached: int = 0
    consulted: tuple[Path, ...] = ()  # files outside the articles that rendering read (Jekyll pages)


def config_digest(config: SiteConfig, leave_out: frozenset[str] = _OUTPUT_ONLY) -> str:
    """A digest of the configuration's values that change what articles parse and render to."""
    parts = [__version__]
    for item in dataclasses.fields(config):
        if item.name not in leave_out:
            parts.append(f"{item.name}={_canonical(getattr(config, item.name))}")
    return digest(*parts).hex()


def parse_key(config: SiteConfig) -> str:
    return config_digest(config)


def _canonical(value: Any) -> str:
    if isinstance(value, frozenset | set):
        return repr(sorted(value))
    return str(value) if isinstance(value, Path) else repr(value)


# Reading ------------------------------------------------------------------------------------------

# A file to parse by its path as text (a Path is made by whoever parses it: sent to a worker process,
# it costs both processes more than the text), and what parsing it gave.
_Todo = tuple[str, str, int, FileRecord | None]
_Done = tuple[str, FileRecord, tuple[Article | None, list[Problem]], int]


def read_articles(
    config: SiteConfig,
    cache: Cache,
    stats: Stats,
    jobs: int = 1,
    progress: Progress | None = None,
    listing: Listing | None = None,
) -> tuple[SiteArticles, list[Problem]]:
    """Every article (without its body) in path order, and every problem, duplicates included.

    An unchanged file's article is only read back from the cache when it is asked for (its head
    is at hand). `listing` is what a look at the articles folder saw at the start of this build
    (quick.Listing): with the cache's snapshot of the last build (build/snapshot.py), only what
    changed since is looked at; else every file is.
    """
    scope = _scope(config)
    snapshot = cache.snapshot(scope) if listing is not None and config.articles.is_dir() else None
    changes = None
    if snapshot is not None and listing is not None:

        def is_article(relative: str) -> bool | None:
            return is_article_file(relative, config.exclude, leave_out)

        leave_out = inside(config.articles, config.own_files)
        changes = snapshot.changes(listing, str(config.articles), is_article)
    if snapshot is not None and changes is not None:
        files, problems, todo = _look_at_changes(snapshot, changes, cache, config)
        sections = snapshot.sections
    else:
        files, problems, todo, listing = _look_at_all(config, cache, listing)
        sections = any(name.rpartition(os.sep)[2].lower() in SECTION_PAGES for name in files.names)
    names = files.names
    stats.files = len(names)
    finding = list(problems)
    fresh: dict[int, tuple[Article | None, list[Problem]]] = {}
    places = [index for index, _ in todo]
    for index, (name, record, parsed, parsed_afresh) in zip(
        places, _parse_all([item for _, item in todo], config, jobs, progress), strict=True
    ):
        stats.parsed += parsed_afresh
        if cache.enabled:
            cache.seen(name, record)
        files.put(index, record)
        if parsed[0] is not None or parsed[1]:
            fresh[index] = parsed
    for index in sorted(files.problems):
        if index in fresh:
            continue
        found = decode_problems(files.problems[index], Path(names[index]))
        if found is None:  # unreadable: parse the file again
            name, record, parsed, _ = _parse_one((names[index], files.stats[index] or "", 0, None), config)
            files.put(index, record)
            fresh[index] = parsed
        else:
            fresh[index] = (None, found)
    for index in sorted(fresh):
        problems.extend(fresh[index][1])
    if cache.enabled:
        encoded = encode(None, finding)[1]
        whole = listing is not None and not listing.links  # every status from one look, and no link
        cache.found(Snapshot(scope, listing.folders, files, encoded, [], sections) if listing and whole else None)
    where, heads = files.heads()

    def load(position: int) -> Article:
        index = where[position]
        article = fresh.get(index, (None, []))[0]
        if article is not None:
            return article
        name = names[index]
        path = Path(name)
        record = cache.current(name) or files.record(index)
        assert record is not None
        data = cache.article(name, record)
        article = decode_article(data, path) if data is not None else None
        if article is None:  # a damaged row: the file is parsed again (its head is in the list already)
            article = _parse_one((name, record.stat, 0, None), config)[2][0]
        if article is None:
            raise FeedpubError(f"{path}: changed while the build was reading it; run the build again")
        return article

    articles = SiteArticles(Heads(heads), load)
    return articles, problems + _duplicates(articles, config)


def _scope(config: SiteConfig) -> str:
    """What finding the article files depends on, besides the folder's entries."""
    return repr((str(config.articles), sorted(str(path) for path in config.own_files), config.exclude))


# The article files and their records (those of the last build, until looked at), the problems
# finding them gave, and the files to parse (by their place among the names).
_Look = tuple[Files, list[Problem], list[tuple[int, _Todo]]]


def _look_at_all(config: SiteConfig, cache: Cache, listing: Listing | None) -> tuple[*_Look, Listing | None]:
    """Every article file found and its record compared with its status (the listing's, when it has it);
    and the listing, when it had every file's status."""
    names, problems = find_source_names(config.articles, config.exclude, config.own_files)
    seen = listing.statuses() if listing is not None else {}
    files = Files.of(names)
    todo: list[tuple[int, _Todo]] = []
    for index, name in enumerate(names):
        status = seen.get(name)
        if status is None:
            listing = None
            try:
                status = file_status(os.stat(name))  # noqa: PTH116 - a name, not a Path: see find_source_names
            except OSError as error:
                message = f"could not be read: {error.strerror}; check its permissions"
                problems.append(Problem(Path(name), None, message))
                continue
        record, stat = cache.file(name), stat_key(status)
        if record is not None and record.unchanged(stat, status[1]):
            cache.seen(name, record)
            files.put(index, record)
        else:
            if record is not None:
                cache.article(name, record)  # should the bytes be the same, the parse is kept whole
            todo.append((index, (name, stat, status[1], record)))
    return files, problems, todo, listing


def _look_at_changes(snapshot: Snapshot, changes: Changes, cache: Cache, config: SiteConfig) -> _Look:
    """The files of the last build, but those removed and with those added; those whose status changed
    (or that were modified too close to its look) and those added to look at again."""
    files = snapshot.files.copy()
    problems = decode_problems(snapshot.found, config.articles) or []
    cache.use(snapshot, changes)
    for name in changes.removed:
        index = snapshot.position(name)
        if index is not None:
            files.remove(bisect.bisect_left(files.names, name))
    for name in changes.added:
        files.insert(bisect.bisect_left(files.names, name), name)
    names = files.names
    todo: list[tuple[int, _Todo]] = []
    for name in sorted({*changes.statuses, *snapshot.racy}):
        index = bisect.bisect_left(names, name)
        if index == len(names) or names[index] != name:
            continue  # not an article file (an image, say)
        status = changes.statuses.get(name)
        record = files.record(index)
        stat = stat_key(status) if status is not None else record.stat if record is not None else ""
        if record is not None:
            cache.article(name, record)  # should the bytes be the same, the parse is kept whole
        todo.append((index, (name, stat, int(stat.split(":")[1]) if stat else 0, record)))
    return files, problems, todo


def _duplicates(articles: SiteArticles, config: SiteConfig) -> list[Problem]:
    """check_duplicates, on the articles that share a URL or an id with another (found by their heads)."""
    columns = articles.heads.columns
    involved: set[int] = set()
    for values in (columns.url, columns.id):
        if len(set(values)) != len(values):
            counts = Counter(values)
            involved.update(index for index, value in enumerate(values) if counts[value] > 1)
    return check_duplicates([articles[index] for index in sorted(involved)], config) if involved else []


def choose(articles: SiteArticles, limit: int, schedule: Schedule) -> list[Article]:
    """feeds.select, by the articles' heads: only the chosen articles are read back whole."""
    heads = articles.heads
    shown = heads.shown(schedule)
    dates, ids = heads.columns.date, heads.columns.id
    # newest first, ties by id and then by place, as a stable sort by Article.newest_first orders them
    if isinstance(shown, range) and len(shown) == len(dates):  # every article (at C speed: no Python per article)
        keyed: Iterable[tuple[float, str, int]] = zip(map(operator.neg, dates), ids, shown, strict=True)
    else:
        keyed = ((-dates[index], ids[index], index) for index in shown)
    newest = heapq.nsmallest(limit, keyed)
    return [articles[index] for _, _, index in newest]


def next_change(articles: SiteArticles, schedule: Schedule) -> int | None:
    """Schedule.changes_at, by the heads: the first moment after now (POSIX nanoseconds) an article
    appears or expires; None when none will."""
    first = articles.heads.changes_at(schedule)
    return int(first * 1e9) if first is not None else None


def _parse_all(todo: list[_Todo], config: SiteConfig, jobs: int, progress: Progress | None) -> Iterable[_Done]:
    if jobs > 1 and len(todo) >= _PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor  # a cold build's; a warm one does without

        chunks = [todo[start : start + _CHUNK] for start in range(0, len(todo), _CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=gc.freeze) as pool:
            done = 0
            for results in pool.map(_parse_chunk, chunks, [config] * len(chunks)):
                done += len(results)
                if progress is not None:
                    progress(done, len(todo))
                yield from results
        return
    for index, item in enumerate(todo, start=1):
        yield _parse_one(item, config)
        if progress is not None and index % _CHUNK == 0:
            progress(index, len(todo))


def _context() -> Any:
    # fork starts workers in milliseconds with feedpub already imported; elsewhere, the default
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _parse_chunk(chunk: list[_Todo], config: SiteConfig) -> list[_Done]:
    """In a worker: the records alone, which hold the article and its problems encoded, as the cache
    keeps them: the build's process reads back only the articles it uses, as for unchanged files
    (sending each article as an object cost both processes more than encoding it once)."""
    done = (_parse_one(item, config, keep=False) for item in chunk)
    return [(name, record, (None, []), afresh) for name, record, _, afresh in done]


def _parse_one(item: _Todo, config: SiteConfig, keep: bool = True) -> _Done:
    """Parse one file (unless its bytes are those the cache has parsed); its record and what it gives
    (`keep`: the article kept in memory without its body; else, as parsed)."""
    name, stat, _, old = item
    path = Path(name)
    checked = time.time_ns()
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = Problem(path, None, f"could not be read: {error.strerror}; check its permissions")
        return name, _record(stat, checked, b"", None, [problem]), (None, [problem]), 0
    hashed = digest(data)
    if old is not None and old.digest == hashed and (old.head is None or old.article is not None):
        kept = FileRecord(stat, checked, hashed, old.head, old.problems, old.article)
        article = decode_article(old.article, path) if old.article is not None else None
        found = decode_problems(old.problems, path)
        if found is not None and (article is not None or old.head is None):
            return name, kept, (article, found), 0
    article, problems = _parse_bytes(path, data, config)
    record = _record(stat, checked, hashed, article, problems)
    return name, record, (replace(article, body="") if keep and article is not None else article, problems), 1


def _record(stat: str, checked: int, hashed: bytes, article: Article | None, problems: list[Problem]) -> FileRecord:
    encoded, found = encode(article, problems)
    head = Head.of(article).row() if article is not None else None
    return FileRecord(stat, checked, hashed, head, found, encoded)


def _parse_bytes(path: Path, data: bytes, config: SiteConfig) -> tuple[Article | None, list[Problem]]:
    source, unreadable = read_source(path, data)
    if source is None:
        return None, [unreadable] if unreadable is not None else []
    return parse_article(source, config)


def full_article(article: Article, config: SiteConfig, hashed: bytes | None = None) -> Article:
    """The article with its body, read again from its file (the newest text, should it have changed).

    When the file still has the bytes parsed (`hashed`: their digest) and its body is its text from
    the line the parse found it on, that text is the body: the front matter is not parsed again.
    """
    try:
        data = article.path.read_bytes()
    except OSError:
        return article
    source, _ = read_source(article.path, data)
    if source is None:
        return article
    if hashed is not None and digest(data) == hashed and article.path.suffix.lower() not in DOCUMENT_SUFFIXES:
        body = "\n".join(normalize(source.text).split("\n")[article.body_line - 1 :])
        if is_clean(body):  # else: as parsed, with what it took out
            return replace(article, body=body)
    again, _ = parse_article(source, config)
    return again if again is not None else article


# Rendering ----------------------------------------------------------------------------------------


# What rendering does not depend on (the render key leaves it out); the site's other articles are
# not in the key either: a render records the articles it looked up, checked when it is reused.
_NOT_RENDERED = frozenset(
    {"limit", "output", "cache", "formats", "since", "tag_feeds", "author_feeds", "archive_size", "path"}
    | {"icon", "favicon", "hub", "html_page", "xsl"}
)
_RENDERED_SHAPE = 6  # the length of a rendered row's value: anything else is a cache of another shape


@dataclass(slots=True)
class Fresh:
    """One article rendered: its entry (None: it could not be), its problems, and what it read or looked up."""

    entry: Entry | None
    problems: list[Problem]
    read_files: list[Path] = dataclasses.field(default_factory=list)
    looked_up: list[tuple[int, str, str | None]] = dataclasses.field(default_factory=list)
    # From a worker process: the entry as the cache stores it (`Rendering.packed`), in place of `entry`.
    packed: bytes | None = None


class Rendering:
    """Entries through the build cache, for one build: `entries` renders the articles given (or takes
    their entries from the cache when nothing they are rendered from changed)."""

    def __init__(self, config: SiteConfig, site: Sequence[Head], cache: Cache, stats: Stats) -> None:
        self.config, self.site, self.cache, self.stats = config, site, cache, stats
        self.base = config_digest(config, _NOT_RENDERED)
        self._prefix = hasher(self.base)  # (every key's first part)
        self._renderer: Renderer | None = None
        self._consulted: list[Path] = []
        self._keys: dict[str, tuple[bytes, bytes]] = {}  # path -> (its file's digest, its key)
        self._looked_up: dict[str, list[tuple[int, str, str | None]]] = {}  # path -> its entry's look-ups
        self.uncached: set[str] = set()  # the paths of articles whose entries read other files

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:  # made when first needed: a build that renders nothing does without
            self._renderer = make_renderer(self.config, self.site)
        return self._renderer

    def key(self, path: Path | str) -> bytes | None:
        """What the entry of the article at `path` is rendered from (its file's bytes, the configuration);
        None without a cache."""
        name = str(path)
        hashed = self.cache.digest_of(name)
        if hashed is None:
            return None
        known = self._keys.get(name)
        if known is None or known[0] != hashed:
            # digest(self.base, name, hashed), from the hash of its first part (a site's archive pages ask
            # it of every article)
            known = self._keys[name] = (hashed, hasher(name, hashed, start=self._prefix).digest())
        return known[1]

    def entries(self, chosen: Iterable[Article]) -> tuple[list[Entry], list[Problem]]:
        """The entries of the `chosen` articles, and the problems found (file by file)."""
        entries: list[Entry] = []
        problems: list[Problem] = []
        for article in chosen:
            found = self.cached(article)
            if found is not None:
                entries.append(found[0])
                problems.extend(found[1])
                continue
            fresh = self.fresh(article)
            self.store(article, fresh)
            if fresh.entry is not None:
                entries.append(fresh.entry)
            problems.extend(fresh.problems)
        return entries, sorted(problems, key=lambda problem: problem.path)

    def cached(self, article: Article) -> tuple[Entry, list[Problem]] | None:
        """The article's entry and its warnings from the cache; None when it must be rendered."""
        key = self.key(article.path)
        stored = self.cache.rendered(key) if key is not None else None
        if isinstance(stored, tuple) and len(stored) == _RENDERED_SHAPE and self.renderer_answers(stored[4]):
            summary_html, content_html, warnings, enclosures, looked_up, watched = stored
            if watched and file_stats(path for path, _ in watched) != watched:
                return None  # a file it read changed
            self._looked_up[str(article.path)] = looked_up
            if watched:
                self._read(article, [Path(path) for path, _ in watched])
            self.stats.rendered_cached += 1
            return Entry(article, summary_html, content_html, enclosures), list(warnings)
        return None

    def fresh(self, article: Article) -> Fresh:
        """The article rendered (the cache not consulted; in a worker process, not changed either)."""
        renderer = self.renderer
        index = renderer.index
        before = len(renderer.warnings)
        looked, asked = (len(index.consulted), len(index.looked_up)) if index else (0, 0)
        record = self.cache.current(str(article.path))
        try:
            entry = renderer.render(full_article(article, self.config, record.digest if record else None))
        except LineError as error:
            return Fresh(None, [Problem(article.path, error.line, error.message)])
        warnings = renderer.warnings[before:]
        return Fresh(
            Entry(article, entry.summary_html, entry.content_html, entry.enclosures),
            warnings,
            index.consulted[looked:] if index else [],
            index.looked_up[asked:] if index else [],
        )

    def packed(self, fresh: Fresh) -> Fresh:
        """`fresh` as a worker process hands it back: its entry as the cache stores it, which the build's
        own process stores without reading (None: it could not be rendered, and stays so)."""
        if fresh.entry is None:
            return fresh
        return replace(fresh, entry=None, packed=packed(self._value(fresh)))

    def store(self, article: Article, fresh: Fresh) -> None:
        """Count a fresh render and keep it in the cache (one that read other files, with their statuses:
        `cached` takes it back only while they are as they were)."""
        if fresh.entry is None and fresh.packed is None:
            return
        self.stats.rendered += 1
        self._looked_up[str(article.path)] = fresh.looked_up
        if fresh.read_files:
            self._read(article, fresh.read_files)
        key = self.key(article.path)
        if key is not None:
            self.cache.store_packed(key, fresh.packed if fresh.packed is not None else packed(self._value(fresh)))

    def _read(self, article: Article, files: list[Path]) -> None:
        """The article's entry read other files: the quick check watches them, and the feeds and archive
        pages that carry it are made again at every build (their keys do not hold those files)."""
        self._consulted.extend(files)
        self.stats.consulted = tuple(dict.fromkeys(self._consulted))
        self.uncached.add(str(article.path))

    @staticmethod
    def _value(fresh: Fresh) -> tuple[Any, ...]:
        """What the cache keeps of a render (read back by `cached`): with the status of each file it read."""
        entry = fresh.entry
        assert entry is not None
        watched = file_stats(dict.fromkeys(fresh.read_files)) if fresh.read_files else []
        values = entry.summary_html, entry.content_html, list(fresh.problems), entry.enclosures, fresh.looked_up
        return (*values, watched)

    def looked_up(self, articles: Iterable[Article]) -> list[tuple[int, str, str | None]]:
        """What the entries of `articles` (rendered or taken from the cache in this build) looked up."""
        found = (item for article in articles for item in self._looked_up.get(str(article.path), ()))
        return list(dict.fromkeys(found))

    def renderer_answers(self, looked_up: list[tuple[int, str, str | None]]) -> bool:
        """Whether the site's articles still answer a stored render's look-ups as they did."""
        return not looked_up or (self.renderer.index is not None and self.renderer.index.answers(looked_up))


def make_renderer(config: SiteConfig, articles: Iterable[Linked]) -> Renderer:
    """The site's renderer; ConfigError when a [build] markdown_extensions cannot load."""
    from feedpub.render import Renderer

    try:
        return Renderer.for_site(config, articles)
    except ValueError as error:
        raise ConfigError(config.path or Path(CONFIG_FILE), None, f"[build] markdown_extensions: {error}") from None


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
