"""The command line: the only module that imports click. Thin: options → one library call → a line.

Exit codes: 0 ok; 1 bad articles or config; 2 bad usage (click's); 3 the feeds could not be written.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from feedpub._version import __version__
from feedpub.config import CONFIG_FILE
from feedpub.errors import ConfigError, ContentError, FeedpubError, Problem
from feedpub.publish import publish

F = TypeVar("F", bound=Callable[..., Any])


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when under it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _echo_problem(problem: Problem) -> None:
    prefix = "warning: " if problem.severity == "warning" else "error: "
    click.echo(prefix + problem.format(shown(problem.path)), err=True)


class _Group(click.Group):
    """Turns feedpub's errors into messages and exit codes, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ContentError as error:
            for problem in error.problems:
                _echo_problem(problem)
            count = len(error.problems)
            click.echo(f"feedpub: {count} error{'s' * (count != 1)}; no feed was changed", err=True)
            ctx.exit(error.exit_code)
        except ConfigError as error:
            _echo_problem(error.problem)
            ctx.exit(error.exit_code)
        except FeedpubError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)


def config_option(function: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=CONFIG_FILE,
        show_default=True,
        help="The site's configuration file.",
    )(function)


def verbosity_options(function: F) -> F:
    function = click.option("-q", "--quiet", is_flag=True, help="Print errors only (for cron).")(function)
    return click.option("-v", "--verbose", is_flag=True, help="Also print what is being done.")(function)


def _setup_logging(quiet: bool, verbose: bool) -> None:
    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING
    logger = logging.getLogger("feedpub")
    logger.handlers[:] = [logging.StreamHandler()]
    logger.handlers[0].setFormatter(logging.Formatter("%(message)s"))
    logger.setLevel(level)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedpub")
def main() -> None:
    """feedpub: publish a folder of Markdown articles as RSS 2.0 and Atom 1.0 feeds."""


@main.command()
@config_option
@click.option("--articles", type=click.Path(path_type=Path, file_okay=False), help="Article folder ([build] articles).")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), help="Output folder ([build] output).")
@click.option("--limit", type=click.IntRange(min=1), help="Items per feed ([build] limit).")
@click.option("--url", help="The site's base URL ([site] url).")
@verbosity_options
def build(
    config_path: Path,
    articles: Path | None,
    output: Path | None,
    limit: int | None,
    url: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build feeds/rss.xml and feeds/atom.xml from the articles.

    Files whose bytes would not change are left untouched; on any error no feed is changed.
    """
    _setup_logging(quiet, verbose)
    overrides: dict[str, Any] = {}
    if articles is not None:
        overrides["build.articles"] = str(articles.resolve())
    if output is not None:
        overrides["build.output"] = str(output.resolve())
    if limit is not None:
        overrides["build.limit"] = limit
    if url is not None:
        overrides["site.url"] = url
    result = publish(config_path, overrides)
    if quiet:
        return
    for warning in result.site.warnings:
        _echo_problem(warning)
    report = result.report
    items = result.items
    parts = []
    if report.written:
        parts.append("wrote " + ", ".join(shown(path) for path in report.written))
    if report.unchanged:
        parts.append("unchanged " + ", ".join(shown(path) for path in report.unchanged))
    click.echo(f"{'; '.join(parts)} ({items} item{'s' * (items != 1)} each)")
