"""The pipeline and the library's front door: load → parse → render → build → write.

Nothing here prints; problems are raised (errors) or returned (warnings).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedpub import feeds
from feedpub.articles import parse_articles, read_sources
from feedpub.config import CONFIG_FILE, SiteConfig, load_config
from feedpub.errors import ContentError, Problem
from feedpub.model import Article, Entry
from feedpub.output import WriteReport, write_files
from feedpub.render import Renderer

__all__ = ["PublishResult", "Site", "build_feeds", "load_site", "publish", "render_entries", "write_feeds"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Site:
    """A configuration and every article it publishes (drafts included), read and checked."""

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
    if not isinstance(config, SiteConfig):
        config = load_config(config, overrides)
    sources, problems = read_sources(config.articles)
    articles, found = parse_articles(sources, config)
    problems += found
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    warnings = [p for p in problems if p.severity == "warning"]
    if not sources:
        warnings.append(
            Problem(config.articles, None, "no article files (*.md) found; the feeds will be empty", "warning")
        )
    log.debug("read %d articles from %s", len(articles), config.articles)
    return Site(config=config, articles=tuple(articles), warnings=tuple(warnings))


def render_entries(site: Site) -> list[Entry]:
    """Every article with its HTML content and summary."""
    renderer = Renderer()
    return [renderer.render(article) for article in site.articles]


def build_feeds(site: Site) -> dict[str, bytes]:
    """Every feed file of the site, name -> bytes, without touching the disk."""
    return feeds.build_feeds(site.config, render_entries(site))


def write_feeds(files: Mapping[str, bytes], folder: Path) -> WriteReport:
    """Write feed files atomically into `folder`, leaving files whose bytes are unchanged alone."""
    return write_files(files, folder)


def publish(config: SiteConfig | Path | str = CONFIG_FILE, overrides: Mapping[str, Any] | None = None) -> PublishResult:
    """Load, build and write: what `feedpub build` does."""
    site = load_site(config, overrides)
    entries = render_entries(site)
    files = feeds.build_feeds(site.config, entries)
    report = write_feeds(files, site.config.output)
    items = len(feeds.select(entries, site.config.limit))
    return PublishResult(site=site, feeds=files, report=report, items=items)
