"""Reading and rendering a site through the build cache: a build costs what changed.

Every article file is looked at (a stat), but parsed only when its bytes changed, and only the
articles the feeds carry are rendered, each only when something it is rendered from changed. The
articles kept in memory have no body (`Article.body` is ""), so that memory does not grow with
the archive; an article to render is read again. What this gives is byte for byte what an
uncached build gives (a property test holds it to that).
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from feedpub._version import __version__
from feedpub.build.cache import Cache, FileRecord, digest, stat_key
from feedpub.config import CONFIG_FILE, SiteConfig
from feedpub.errors import ConfigError, LineError, Problem
from feedpub.model import Article, Author, Entry
from feedpub.read.articles import check_duplicates, parse_article
from feedpub.read.sources import find_sources, read_source
from feedpub.render import Renderer

__all__ = ["Progress", "Stats", "cpu_count", "make_renderer", "parse_key", "read_articles", "render_articles"]

#: Called as progress(done, total) while files are parsed.
Progress = Callable[[int, int], None]

# Config values that do not change what an article file parses to, nor how it renders.
_OUTPUT_ONLY = frozenset(
    {"limit", "output", "cache", "path", "title", "description", "feeds_url", "author", "language"}
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


def read_articles(
    config: SiteConfig,
    cache: Cache,
    stats: Stats,
    jobs: int = 1,
    progress: Progress | None = None,
    seen: Mapping[str, os.stat_result] | None = None,
) -> tuple[list[Article], list[Problem]]:
    """Every article (without its body) in path order, and every problem, duplicates included.

    `seen` holds the status of files already looked at in this build (by path), not looked at again.
    """
    paths, problems = find_sources(config.articles, config.exclude)
    stats.files = len(paths)
    results: dict[str, tuple[Article | None, list[Problem]]] = {}  # by str(path): cheaper to hash
    todo: list[tuple[Path, str, int, FileRecord | None]] = []
    seen = seen or {}
    for path in paths:
        name = str(path)
        try:
            status = seen.get(name) or path.stat()
        except OSError as error:
            problems.append(Problem(path, None, f"could not be read: {error.strerror}; check its permissions"))
            continue
        record, stat = cache.file(name), stat_key(status)
        same = record is not None and record.unchanged(stat, status.st_mtime_ns)
        parsed = decode(record.parsed, path) if record is not None and same else None
        if record is not None and parsed is not None:
            cache.seen(name, record)
            results[name] = parsed
        else:
            todo.append((path, stat, status.st_mtime_ns, record))
    for path, record, parsed, parsed_afresh in _parse_all(todo, config, jobs, progress):
        stats.parsed += parsed_afresh
        if cache.enabled:
            cache.seen(str(path), record)
        results[str(path)] = parsed
    articles: list[Article] = []
    for path in paths:
        if (found := results.get(str(path))) is not None:
            article, file_problems = found
            problems.extend(file_problems)
            if article is not None:
                articles.append(article)
    return articles, problems + check_duplicates(articles, config)


_Todo = tuple[Path, str, int, FileRecord | None]
_Done = tuple[Path, FileRecord, tuple[Article | None, list[Problem]], int]


def _parse_all(todo: list[_Todo], config: SiteConfig, jobs: int, progress: Progress | None) -> Iterable[_Done]:
    if jobs > 1 and len(todo) >= _PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor  # a cold build's; a warm one does without

        chunks = [todo[start : start + _CHUNK] for start in range(0, len(todo), _CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
            done = 0
            for results in pool.map(_parse_chunk, chunks, [config] * len(chunks)):
                done += len(results)
                if progress is not None:
                    progress(done, len(todo))
                for path, record, _, fresh in results:
                    yield path, record, decode(record.parsed, path) or (None, []), fresh
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
    """In a worker: the records only, whose encoded results are quicker to send back and decode
    than the parsed values are to pickle and unpickle."""
    return [
        (path, record, (None, []), fresh) for path, record, _, fresh in (_parse_one(item, config) for item in chunk)
    ]


def _parse_one(item: _Todo, config: SiteConfig) -> _Done:
    """Parse one file (unless its bytes are those the cache has parsed); its record and what it gives."""
    path, stat, _, old = item
    checked = time.time_ns()
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = Problem(path, None, f"could not be read: {error.strerror}; check its permissions")
        return path, FileRecord(stat, checked, b"", encode((None, [problem]))), (None, [problem]), 0
    hashed = digest(data)
    if old is not None and old.digest == hashed:
        parsed = decode(old.parsed, path)
        if parsed is not None:
            return path, FileRecord(stat, checked, hashed, old.parsed), parsed, 0
    parsed = _parse_bytes(path, data, config)
    return path, FileRecord(stat, checked, hashed, encode(parsed)), parsed, 1


# What parsing gave, as marshal writes it (plain values only: ten times faster to load back than
# pickled dataclasses, and nothing in it can run code). The Article fields by position.
_FIELDS = tuple(item.name for item in dataclasses.fields(Article))
_DATES = frozenset({"date", "updated", "publish_date", "expiry_date"})
_DATE_INDEXES = tuple(index for index, name in enumerate(_FIELDS) if name in _DATES)
_PATH_INDEX, _AUTHORS_INDEX = _FIELDS.index("path"), _FIELDS.index("authors")


def encode(parsed: tuple[Article | None, list[Problem]]) -> bytes:
    article, problems = parsed
    row = None
    if article is not None:
        row = tuple(_encode_field(name, getattr(article, name)) for name in _FIELDS)
    return marshal.dumps((row, [(str(p.path), p.line, p.message, p.severity, _places(p.others)) for p in problems]))


def decode(data: bytes, path: Path) -> tuple[Article | None, list[Problem]] | None:
    """What `encode` wrote for the file at `path`, or None when it cannot be read back (it is then parsed again)."""
    try:
        row, problems = marshal.loads(data)
        article = None
        if row is not None:
            values = list(row)
            for index in _DATE_INDEXES:
                if values[index] is not None:
                    text, zone = values[index]
                    moment = datetime.fromisoformat(text)
                    values[index] = moment.astimezone(ZoneInfo(zone)) if zone else moment
            values[_PATH_INDEX] = path if values[_PATH_INDEX] == str(path) else Path(values[_PATH_INDEX])
            values[_AUTHORS_INDEX] = tuple(Author(*author) for author in values[_AUTHORS_INDEX])
            article = Article(*values)
        return article, [
            Problem(_path(where, path), line, message, severity, tuple((Path(p), n) for p, n in others))
            for where, line, message, severity, others in problems
        ]
    except (ValueError, TypeError, EOFError, IndexError):
        return None


def _path(written: str, path: Path) -> Path:
    return path if written == str(path) else Path(written)


def _places(others: tuple[tuple[Path, int | None], ...]) -> tuple[tuple[str, int | None], ...]:
    return tuple((str(path), line) for path, line in others)


def _encode_field(name: str, value: Any) -> Any:
    if name in _DATES:
        return None if value is None else (value.isoformat(), getattr(value.tzinfo, "key", None))
    if name == "path":
        return str(value)
    if name == "authors":
        return tuple((author.name, author.email, author.url) for author in value)
    return value


def _parse_bytes(path: Path, data: bytes, config: SiteConfig) -> tuple[Article | None, list[Problem]]:
    source, unreadable = read_source(path, data)
    if source is None:
        return None, [unreadable] if unreadable is not None else []
    article, problems = parse_article(source, config)
    return (replace(article, body="") if article is not None else None), problems


def full_article(article: Article, config: SiteConfig) -> Article:
    """The article with its body, read again from its file (the newest text, should it have changed)."""
    source, _ = read_source(article.path)
    if source is None:
        return article
    again, _ = parse_article(source, config)
    return again if again is not None else article


# Rendering ----------------------------------------------------------------------------------------


def render_articles(
    config: SiteConfig, articles: Iterable[Article], chosen: Iterable[Article], cache: Cache, stats: Stats
) -> tuple[list[Entry], list[Problem]]:
    """The entries of the `chosen` articles (rendered, or from the cache), and the problems found."""
    all_articles = list(articles)
    renderer = make_renderer(config, all_articles)
    base = (
        config_digest(config, frozenset({"limit", "output", "cache", "path"})),
        digest(*(f"{article.path}\0{article.url}" for article in all_articles)).hex(),
    )
    entries: list[Entry] = []
    problems: list[Problem] = []
    consulted: list[Path] = []
    for article in chosen:
        record = cache.current(str(article.path))
        key = digest(*base, str(article.path), record.digest if record else b"") if record else None
        stored = cache.rendered(key) if key is not None else None
        if stored is not None:
            summary_html, content_html, warnings = stored
            entries.append(Entry(article, summary_html, content_html))
            problems.extend(warnings)
            stats.rendered_cached += 1
            continue
        before, looked = len(renderer.warnings), len(renderer.index.consulted) if renderer.index else 0
        try:
            entry = renderer.render(full_article(article, config))
        except LineError as error:
            problems.append(Problem(article.path, error.line, error.message))
            continue
        stats.rendered += 1
        warnings = renderer.warnings[before:]
        entries.append(Entry(article, entry.summary_html, entry.content_html))
        problems.extend(warnings)
        read_files = renderer.index.consulted[looked:] if renderer.index else []
        consulted.extend(read_files)
        if key is not None and not read_files:  # what rendering read from other files is not cached
            cache.store_rendered(key, (entry.summary_html, entry.content_html, list(warnings)))
    stats.consulted = tuple(dict.fromkeys(consulted))
    return entries, sorted(problems, key=lambda problem: problem.path)


def make_renderer(config: SiteConfig, articles: Iterable[Article]) -> Renderer:
    """The site's renderer; ConfigError when a [build] markdown_extensions cannot load."""
    try:
        return Renderer.for_site(config, articles)
    except ValueError as error:
        raise ConfigError(config.path or Path(CONFIG_FILE), None, f"[build] markdown_extensions: {error}") from None


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
