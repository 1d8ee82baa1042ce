"""The pipeline and the library's front door: load → parse → render → build → write.

Nothing here prints; problems are raised (errors) or returned (warnings).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from feedpub import feeds
from feedpub.build.archives import ArchiveWriter, archived, stale_files, without_since
from feedpub.build.cache import Cache, digest
from feedpub.build.incremental import (
    Progress,
    Rendering,
    Stats,
    choose,
    config_digest,
    cpu_count,
    make_renderer,
    next_change,
    parse_key,
    read_articles,
)
from feedpub.build.ledger import Ledger
from feedpub.build.lock import BuildLock
from feedpub.build.quick import Listing, take_look, tree_digest
from feedpub.build.records import Head, SiteArticles
from feedpub.config import CONFIG_FILE, SiteConfig, load_config
from feedpub.errors import ContentError, LineError, Problem, UsageError
from feedpub.feeds.spec import large_feed
from feedpub.model import Article, Entry, Schedule, status_of
from feedpub.output import Staging, WriteReport, write_files
from feedpub.read.articles import parse_articles
from feedpub.read.dates import DateError, to_datetime
from feedpub.read.sources import read_sources

__all__ = [
    "PublishResult",
    "Site",
    "build_feeds",
    "check_site",
    "load_site",
    "make_schedule",
    "publish",
    "render_entries",
    "site_topics",
    "write_feeds",
]


@dataclass(frozen=True, slots=True)
class Site:
    """A configuration and every article it holds (drafts and future ones included), read and checked.

    `warnings` holds the problems that did not stop the build: warnings, and notes on skipped files.
    """

    config: SiteConfig
    articles: Sequence[Article]  # a tuple; from publish(), each read back from the build cache when asked for
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class PublishResult:
    site: Site
    feeds: Mapping[str, bytes]
    report: WriteReport
    items: int  # entries in each feed
    errors: tuple[Problem, ...] = ()  # with keep_going: the articles left out, and why
    stats: Stats = field(default_factory=Stats)
    # For the next run's quick check (build.quick): the articles folder's digest, when it can be
    # trusted (no file modified too recently, no error), and when the feeds would change next.
    tree: str | None = None
    valid_until_ns: int | None = None
    # Warnings about this build's change alone (an item gone from the feeds), not to be said again.
    this_run: tuple[Problem, ...] = ()


def load_site(config: SiteConfig | Path | str = CONFIG_FILE, overrides: Mapping[str, Any] | None = None) -> Site:
    """Read the config (unless given as a SiteConfig) and every article.

    Raises ConfigError for a bad config, and ContentError listing every broken article.
    """
    site, problems = _read_site(config, overrides)
    _raise_errors(problems, site.warnings)
    return site


def check_site(
    config: SiteConfig | Path | str = CONFIG_FILE,
    overrides: Mapping[str, Any] | None = None,
    schedule: Schedule | None = None,
) -> tuple[Site, list[Entry]]:
    """Read and render what a build would; raise one ContentError with every problem of every file.

    Unlike load_site followed by render_entries, the articles that parse are rendered even when
    others do not, so that an author meets every problem in one run.
    """
    site, problems = _read_site(config, overrides)
    schedule = schedule or make_schedule(site.config)
    entries, found = _render(site, schedule)
    site = replace(site, warnings=site.warnings + tuple(p for p in found if p.severity != "error"))
    _raise_errors(problems + [p for p in found if p.severity == "error"], site.warnings)
    return site, entries


def _read_site(config: SiteConfig | Path | str, overrides: Mapping[str, Any] | None) -> tuple[Site, list[Problem]]:
    """The site with every article that parsed, and the errors of those that did not."""
    if not isinstance(config, SiteConfig):
        config = load_config(config, overrides)
    sources, problems = read_sources(config.articles, config.exclude, config.own_files)
    articles, found = parse_articles(sources, config)
    problems += found
    ledger = Ledger.read(config.ids, config.articles)
    for index, article in enumerate(articles):
        ident, problem = ledger.recorded(article.path, article.id, reset=False)
        if problem is not None:
            articles[index] = replace(article, id=ident)
            problems.append(problem)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if not sources and not errors:
        message = "no article files (*.md, *.markdown, *.html, *.json, *.yaml, *.toml) found; the feeds will be empty"
        warnings.append(Problem(config.articles, None, message, "warning"))
    return Site(config=config, articles=tuple(articles), warnings=tuple(warnings)), errors


def _raise_errors(errors: list[Problem], warnings: tuple[Problem, ...]) -> None:
    """One ContentError for every error found, file by file (each file's in the order found)."""
    if errors:
        raise ContentError(sorted(errors, key=lambda problem: problem.path), warnings=warnings)


def render_entries(site: Site, schedule: Schedule | None = None) -> list[Entry]:
    """Every article the schedule shows (every article without one) with its HTML content and summary.

    Raises ContentError for an article that cannot be rendered; the warnings found while rendering
    (template tags kept as written, links that name nothing) are check_site's to report.
    """
    entries, found = _render(site, schedule)
    _raise_errors([p for p in found if p.severity == "error"], site.warnings)
    return entries


def _render(site: Site, schedule: Schedule | None) -> tuple[list[Entry], list[Problem]]:
    """The entries, and the problems found rendering them (warnings among them)."""
    shown = [article for article in site.articles if schedule is None or schedule.shows(article)]
    return _render_articles(site, shown)


def _render_articles(site: Site, articles: Iterable[Article]) -> tuple[list[Entry], list[Problem]]:
    renderer = make_renderer(site.config, site.articles)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for article in articles:
        try:
            entries.append(renderer.render(article))
        except LineError as error:
            problems.append(Problem(article.path, error.line, error.message))
    return entries, sorted(problems + renderer.warnings, key=lambda problem: problem.path)  # file by file


def make_schedule(
    config: SiteConfig, now: datetime | str | None = None, *, drafts: bool = False, future: bool = False
) -> Schedule:
    """What a build shows: articles published at `now` (the clock when None; text is read in the
    site's time zone), plus drafts and future articles when asked. Raises UsageError for bad text."""
    if now is None:
        moment = datetime.now(UTC).replace(microsecond=0)
    elif isinstance(now, str):
        try:
            moment = to_datetime(now, config.timezone)
        except DateError as error:
            raise UsageError(f"--now / --date: {error}") from None
    else:
        moment = now
    return Schedule(now=moment, drafts=drafts, future=future, from_clock=now is None, since=config.since)


def build_feeds(site: Site, schedule: Schedule | None = None) -> dict[str, bytes]:
    """Every feed file of the site, archive pages included, name -> bytes, without touching the disk;
    only the articles the feeds carry are rendered (raises ContentError when one of them cannot be)."""
    schedule = schedule or make_schedule(site.config)
    config = site.config
    chosen = feeds.select(site.articles, config.limit, schedule)
    found, groups, _ = _topics(config, site.articles, schedule)
    wanted = _wanted(chosen, groups)
    entries, problems = _render_articles(site, wanted)
    _raise_errors([p for p in problems if p.severity == "error"], site.warnings)
    articles = SiteArticles([Head.of(article) for article in site.articles], site.articles.__getitem__)
    collected = _Collected()
    writer = ArchiveWriter(
        config,
        articles,
        Rendering(config, articles.heads, Cache.open(None, ""), Stats()),
        Cache.open(None, ""),
        collected,
    )
    counts = _archives(writer, articles, schedule, chosen, found, groups)
    _raise_errors(writer.errors, site.warnings)
    return _feed_files(config, schedule, chosen, found, groups, entries, counts) | collected.files


class _Collected:
    """Staging's part that ArchiveWriter uses, keeping the files in memory (build_feeds writes nothing)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, name: str, data: bytes) -> None:
        self.files[name] = data

    def keep(self, name: str) -> None:  # never called: without a cache, every page is made
        raise AssertionError(name)


def _vanished(
    config: SiteConfig, files: Mapping[str, bytes], entries: list[Entry], chosen: Sequence[Article]
) -> list[Problem]:
    """A warning for each item the main feed had last time that is gone though newer than its oldest now."""
    name = next((name for name in ("feed.json", "atom.xml") if name in files), None)
    if name is None:
        return []
    try:
        previous = (config.output / name).read_bytes()
    except OSError:
        return []
    if previous == files[name]:
        return []
    from feedpub.feeds.previous import items_of, vanished  # lxml: only when the feed changed

    paths = {article.path for article in chosen}
    shown = [entry for entry in entries if entry.article.path in paths]
    message = (
        "{} ({}) was in the feeds and is gone, though newer than their oldest item: it was deleted, made a "
        "draft, dated later or given another id, and readers have it already; if that was meant, nothing to do"
    )
    return [
        Problem(config.output / name, None, message.format(f"'{title}'", ident), "warning")
        for ident, title in vanished(items_of(name, previous), shown)
    ]


def _keep_published_ids(articles: SiteArticles, ledger: Ledger, reset: bool) -> tuple[SiteArticles, list[Problem]]:
    """The articles with the ids the ledger recorded (or, with `reset`, the ledger taking the new ones)."""
    ids: dict[int, str] = {}
    problems: list[Problem] = []
    if ledger.path is None:
        return articles, problems
    columns = articles.heads.columns
    current = columns.id
    # the recorded id of each article (its own when it is not recorded yet), compared at C speed
    recorded = tuple(map(ledger.ids.get, ledger.keys(columns.path), current))
    if recorded == current:
        return articles, problems
    for index in [index for index, known in enumerate(recorded) if known != current[index]]:
        ident, problem = ledger.recorded(columns.path[index], current[index], reset)
        if ident != current[index]:
            ids[index] = ident
        if problem is not None:
            problems.append(problem)
    return (articles.with_ids(ids) if ids else articles), problems


def _record_published_ids(ledger: Ledger, articles: SiteArticles, schedule: Schedule) -> None:
    """Record in the ledger the ids of the articles published now (not drafts or future ones shown for
    a preview), and write it when it changed: after the feeds, so that it lists only what went out."""
    if ledger.path is None:
        return
    now, known = schedule.now.timestamp(), ledger.ids
    columns = articles.heads.columns
    keys = ledger.keys(columns.path)
    published = {}
    # (a path the ledger knows keeps its id: publish() would leave it)
    for index in [index for index, key in enumerate(keys) if key not in known]:
        moments = columns.date[index], columns.publish[index], columns.expiry[index]
        if status_of(columns.draft[index], *moments, now) == "published":
            published[keys[index]] = columns.id[index]
    ledger.publish(published)
    if ledger.changed:
        write_files({ledger.path.name: ledger.text()}, ledger.path.parent)


_Groups = list[tuple[feeds.Topic, Article]]  # each topic's chosen articles, topic by topic


def _wanted(chosen: Sequence[Article], groups: _Groups) -> list[Article]:
    """The articles any feed carries, each once: the main feeds' first, then the topics'."""
    return list({article.path: article for article in [*chosen, *(article for _, article in groups)]}.values())


def _topics(
    config: SiteConfig, articles: Sequence[Article], schedule: Schedule
) -> tuple[list[feeds.Topic], _Groups, list[Problem]]:
    """The per-tag and per-author feeds (from the articles shown; with archives, `[build] since` aside),
    and the articles of their subscription documents, chosen as the main feeds' are."""
    if not (config.tag_feeds or config.author_feeds):
        return [], [], []
    history = without_since(schedule) if config.archive_size else schedule
    shown = [article for article in articles if history.shows(article)]
    found, problems = feeds.topics(shown, config.tag_feeds, config.author_feeds, config.path)
    groups = [(topic, article) for topic in found for article in feeds.select(topic.articles, config.limit, schedule)]
    return found, groups, problems


def _archives(
    writer: ArchiveWriter,
    articles: SiteArticles,
    schedule: Schedule,
    chosen: Sequence[Article],
    found: list[feeds.Topic],
    groups: _Groups,
    jobs: int = 1,
) -> dict[str, int]:
    """Stage the archive pages of every feed (`jobs` processes making them); the number of pages of each
    (by its folder: "" the main feeds')."""
    if not writer.config.archive_size:
        return {}
    plan = writer.pages(archived(articles, schedule, chosen))
    writer.write(plan)
    counts = {"": len(plan)}
    if found:
        where = {head.path: index for index, head in enumerate(articles.heads)}
        carried: dict[str, list[Article]] = {}
        for topic, article in groups:
            carried.setdefault(topic.folder, []).append(article)
        for topic in found:
            among = [where[str(article.path)] for article in topic.articles]
            plan = writer.pages(archived(articles, schedule, carried.get(topic.folder, []), among))
            writer.write(plan, topic)
            counts[topic.folder] = len(plan)
    writer.finish(jobs)
    return counts


def _feed_files(
    config: SiteConfig,
    schedule: Schedule,
    chosen: Sequence[Article],
    found: list[feeds.Topic],
    groups: _Groups,
    entries: list[Entry],
    pages: Mapping[str, int],
) -> dict[str, bytes]:
    """The subscription documents: the main feeds' files, then each topic's (its files under its folder),
    then the HTML page and the XSL stylesheet when asked for."""
    by_path = {entry.article.path: entry for entry in entries}
    main = [by_path[article.path] for article in chosen if article.path in by_path]
    files = feeds.build_feeds(config, main, schedule, pages=pages.get("", 0))
    topic_entries: dict[str, list[Entry]] = {topic.folder: [] for topic in found}
    for topic, article in groups:
        topic_entries[topic.folder].append(by_path[article.path])
    for topic in found:
        files.update(
            feeds.build_feeds(config, topic_entries[topic.folder], schedule, topic, pages.get(topic.folder, 0))
        )
    from feedpub.build.page import page_files  # (a build that makes no feed does without)

    return files | page_files(config, main, found)


# What the subscription documents do not depend on: where the cache is, and which file the config was.
_NOT_IN_SUBSCRIPTIONS = frozenset({"cache", "path"})


def _subscriptions_key(
    config: SiteConfig,
    rendering: Rendering,
    schedule: Schedule,
    chosen: Sequence[Article],
    found: Sequence[feeds.Topic],
    groups: _Groups,
    pages: Mapping[str, int],
) -> bytes | None:
    """What `_feed_files` makes its files from: the configuration, the articles each feed carries (by
    path, id and render key), the topics, each feed's number of archive pages and, for a preview of
    future articles, which items are past. None when an article has no render key (no cache) or its
    render read other files (which can change unseen)."""
    parts = [config_digest(config, _NOT_IN_SUBSCRIPTIONS), f"{schedule.drafts} {schedule.future}"]
    parts += [f"{folder}={count}" for folder, count in sorted(pages.items())]
    parts += [f"topic {topic.kind} {topic.slug} {topic.names!r}" for topic in found]
    carried = [("", article) for article in chosen] + [(topic.folder, article) for topic, article in groups]
    for folder, article in carried:
        render_key = rendering.key(article.path)
        if render_key is None or str(article.path) in rendering.uncached:
            return None
        parts.append(f"{folder}\0{article.path}\0{article.id}\0{render_key.hex()}\0{article.date <= schedule.now}")
    return digest(*parts)


class _Kept(Mapping[str, bytes]):
    """The files a build kept, as `PublishResult.feeds` gives them: each read from the output folder
    when asked for (a site with topic feeds keeps hundreds, which a cron run never reads)."""

    def __init__(self, folder: Path, names: Sequence[str]) -> None:
        self._folder, self._names = folder, tuple(names)

    def __getitem__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        return (self._folder / name).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def write_feeds(files: Mapping[str, bytes], folder: Path) -> WriteReport:
    """Write feed files atomically into `folder`, leaving files whose bytes are unchanged alone, and an
    index.html there that feedpub did not write (the site's own home page) too: `files`' page is left out."""
    from feedpub.build.page import PAGE, foreign_page

    if PAGE in files and foreign_page(folder):
        files = {name: data for name, data in files.items() if name != PAGE}
    return write_files(files, folder)


def publish(
    config: SiteConfig | Path | str = CONFIG_FILE,
    overrides: Mapping[str, Any] | None = None,
    schedule: Schedule | None = None,
    *,
    use_cache: bool = True,
    reset_ids: bool = False,
    jobs: int | None = None,
    wait: float = 300.0,
    keep_going: bool = False,
    progress: Progress | None = None,
) -> PublishResult:
    """Load, build and write: what `feedpub build` does.

    Every article is read and checked, but only those the feeds show are rendered: the problems
    of the others' bodies (template tags kept as written, say) are check_site's to report. With
    `use_cache`, files whose bytes did not change are not parsed again, nor entries rendered again
    (`[build] cache`). `jobs` worker processes parse (None: one per core). The site's lock is held
    throughout; another build waits up to `wait` seconds for it, then raises LockTimeout.
    With `keep_going`, articles with errors are left out and the others published: the errors
    are in the result's `errors` instead of raised.
    """
    if not isinstance(config, SiteConfig):
        config = load_config(config, overrides)
    schedule = schedule or make_schedule(config)
    # the lock lives with the cache; without one, beside the output folder
    lock = config.cache / "lock" if config.cache is not None else config.output.with_name(config.output.name + ".lock")
    with BuildLock(lock, wait):
        cache = Cache.open(config.cache if use_cache else None, parse_key(config))
        try:
            return _publish(config, schedule, cache, jobs or cpu_count(), keep_going, progress, reset_ids)
        finally:
            cache.close()


def _publish(
    config: SiteConfig,
    schedule: Schedule,
    cache: Cache,
    jobs: int,
    keep_going: bool,
    progress: Progress | None,
    reset_ids: bool = False,
) -> PublishResult:
    started_ns = time.time_ns()
    listing = Listing()
    looked = take_look(config.articles)  # the quick check's, when it looked a moment ago and found a change
    if looked is not None:
        started_ns, tree, listing = looked
    else:
        tree = tree_digest(config.articles, started_ns, listing) if config.articles.is_dir() else ("", True)
    stats = Stats()
    articles, problems = read_articles(config, cache, stats, jobs, progress, listing)
    ledger = Ledger.read(config.ids, config.articles)
    articles, kept = _keep_published_ids(articles, ledger, reset_ids)
    problems += kept
    notes = [Problem(config.cache or config.output, None, note.split(": ", 1)[-1], "note") for note in cache.notes]
    errors = [p for p in problems if p.severity == "error"]
    warnings = tuple(notes + [p for p in problems if p.severity != "error"])
    if not stats.files and not errors:
        message = "no article files (*.md, *.markdown, *.html, *.json, *.yaml, *.toml) found; the feeds will be empty"
        warnings += (Problem(config.articles, None, message, "warning"),)
    if errors and not keep_going:
        cache.commit()  # what parsed is kept: the next run, after a fix, parses only the fixed files
        _raise_errors(errors, warnings)
    if errors:  # with keep_going: the articles named by an error (a duplicate's second file) are left out
        articles = articles.without({str(problem.path) for problem in errors})
    while True:  # with --keep-going, an article that cannot be rendered gives its place to the next one
        chosen = choose(articles, config.limit, schedule)
        topics, groups, topic_problems = _topics(config, articles, schedule)
        wanted = _wanted(chosen, groups)
        rendering = Rendering(config, articles.heads, cache, stats)
        entries, found = rendering.entries(wanted)
        failed = {str(p.path) for p in found if p.severity == "error"}
        if not failed or not keep_going:
            break
        errors += [p for p in found if p.severity == "error"]
        articles = articles.without(failed)
        stats.rendered = stats.rendered_cached = 0
    warnings += tuple(p for p in [*found, *topic_problems] if p.severity != "error")
    site = Site(config=config, articles=articles, warnings=warnings)
    _raise_errors([p for p in found if p.severity == "error"], warnings)
    with Staging(config.output) as staging:
        writer = ArchiveWriter(config, articles, rendering, cache, staging)
        pages = _archives(writer, articles, schedule, chosen, topics, groups, jobs)
        if writer.errors and not keep_going:
            cache.commit()  # what parsed and rendered is kept, as for errors found parsing
            _raise_errors(writer.errors, warnings)
        errors += writer.errors
        key = _subscriptions_key(config, rendering, schedule, chosen, topics, groups, pages)
        recorded = writer.records.recorded_set(key) if key is not None else None
        gone: tuple[Problem, ...] = ()
        files: Mapping[str, bytes]
        if recorded is not None:  # made from what they were made from last time, and as written then
            files = _Kept(config.output, recorded)
            for name in recorded:
                staging.keep(name)
        else:
            files = made = _feed_files(config, schedule, chosen, topics, groups, entries, pages)
            from feedpub.build.page import unless_foreign_page

            foreign = unless_foreign_page(config, made)
            site = replace(site, warnings=site.warnings + tuple(foreign))
            gone = tuple(_vanished(config, files, entries, chosen))
            for name, data in files.items():
                staging.add(name, data)
            if key is not None and not foreign:  # (a foreign page's warning is said by every build)
                writer.records.record_set(key, list(files), rendering.looked_up(wanted))
        report = staging.commit(stale_files(config, set(files) | writer.produced))
    large = _large_feeds(config, report)
    if large:
        site = replace(site, warnings=site.warnings + large)
    writer.records.remember()
    cache.commit()
    _record_published_ids(ledger, articles, schedule)
    if ledger.path is not None and ledger.path.exists():
        stats.consulted += (ledger.path,)  # an edit of the ledger is a change the quick check must see
    changes = next_change(articles, schedule) if schedule.from_clock else None
    return PublishResult(
        site=site,
        feeds=files,
        report=report,
        items=len(chosen),
        errors=tuple(sorted(errors, key=lambda problem: problem.path)),
        stats=stats,
        tree=tree[0] if not tree[1] and not errors else None,
        valid_until_ns=changes,
        this_run=gone,
    )


def _large_feeds(config: SiteConfig, report: WriteReport) -> tuple[Problem, ...]:
    """A warning for each feed file the build leaves in the output folder (written or kept) that is
    too large for validators and readers (feeds.spec.LARGE_FEED)."""
    found = []
    for path in (*report.written, *report.unchanged):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        problem = large_feed(path, path.relative_to(config.output).as_posix(), size)
        if problem is not None:
            found.append(problem)
    return tuple(found)


def site_topics(site: Site, schedule: Schedule | None = None) -> list[feeds.Topic]:
    """The per-tag and per-author feeds a build of the site writes (none unless [build] tag_feeds or author_feeds)."""
    found, _, _ = _topics(site.config, site.articles, schedule or make_schedule(site.config))
    return found
