"""The pipeline and the library's front door: load → parse → render → build → write.

Nothing here prints; problems are raised (errors) or returned (warnings).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from feedpub import feeds
from feedpub.read.articles import parse_articles
from feedpub.config import CONFIG_FILE, SiteConfig, load_config
from feedpub.read.dates import DateError, to_datetime
from feedpub.errors import ConfigError, ContentError, LineError, Problem, UsageError
from feedpub.model import Article, Entry, Schedule
from feedpub.output import WriteReport, write_files
from feedpub.render import Renderer
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
    "write_feeds",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Site:
    """A configuration and every article it holds (drafts and future ones included), read and checked.

    `warnings` holds the problems that did not stop the build: warnings, and notes on skipped files.
    """

    config: SiteConfig
    articles: tuple[Article, ...]
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class PublishResult:
    site: Site
    feeds: Mapping[str, bytes]
    report: WriteReport
    items: int  # entries in each feed


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
    sources, problems = read_sources(config.articles, config.exclude)
    articles, found = parse_articles(sources, config)
    problems += found
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if not sources and not errors:
        message = "no article files (*.md, *.markdown, *.html, *.json, *.yaml, *.toml) found; the feeds will be empty"
        warnings.append(Problem(config.articles, None, message, "warning"))
    log.debug("read %d articles from %s", len(articles), config.articles)
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
    try:
        renderer = Renderer.for_site(site.config, site.articles)
    except ValueError as error:  # a [build] markdown_extensions that cannot load
        raise ConfigError(
            site.config.path or Path(CONFIG_FILE), None, f"[build] markdown_extensions: {error}"
        ) from None
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
    return Schedule(now=moment, drafts=drafts, future=future)


def build_feeds(site: Site, schedule: Schedule | None = None) -> dict[str, bytes]:
    """Every feed file of the site, name -> bytes, without touching the disk; only the articles
    the feeds show are rendered (raises ContentError when one of them cannot be)."""
    schedule = schedule or make_schedule(site.config)
    entries, found = _render_articles(site, feeds.select(site.articles, site.config.limit, schedule))
    _raise_errors([p for p in found if p.severity == "error"], site.warnings)
    return feeds.build_feeds(site.config, entries, schedule)


def write_feeds(files: Mapping[str, bytes], folder: Path) -> WriteReport:
    """Write feed files atomically into `folder`, leaving files whose bytes are unchanged alone."""
    return write_files(files, folder)


def publish(
    config: SiteConfig | Path | str = CONFIG_FILE,
    overrides: Mapping[str, Any] | None = None,
    schedule: Schedule | None = None,
) -> PublishResult:
    """Load, build and write: what `feedpub build` does.

    Every article is read and checked, but only those the feeds show are rendered: the problems
    of the others' bodies (template tags kept as written, say) are check_site's to report.
    """
    if not isinstance(config, SiteConfig):
        config = load_config(config, overrides)
    schedule = schedule or make_schedule(config)
    site = load_site(config)
    chosen = feeds.select(site.articles, config.limit, schedule)
    entries, found = _render_articles(site, chosen)
    site = replace(site, warnings=site.warnings + tuple(p for p in found if p.severity != "error"))
    _raise_errors([p for p in found if p.severity == "error"], site.warnings)
    files = feeds.build_feeds(site.config, entries, schedule)
    report = write_feeds(files, site.config.output)
    return PublishResult(site=site, feeds=files, report=report, items=len(chosen))
