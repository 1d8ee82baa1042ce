"""The command line: the only module that imports click. Thin: options → one library call → a line.

Exit codes: 0 ok; 1 bad articles or config; 2 bad usage (click's); 3 the feeds could not be written;
4 another build held the site's lock too long (--wait); 5 published without the articles that
have errors (--keep-going).
"""

from __future__ import annotations

import math
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from feedpub._version import __version__
from feedpub.build.incremental import Progress
from feedpub.build.pipeline import PublishResult, Site, build_feeds, check_site, load_site, make_schedule, publish
from feedpub.build.quick import Record
from feedpub.config import CONFIG_FILE, SiteConfig, load_config
from feedpub.errors import ConfigError, ContentError, FeedpubError, Problem, UsageError, folded
from feedpub.feeds import file_url
from feedpub.feeds.spec import FEED_NAMES
from feedpub.model import Article
from feedpub.output import WriteReport

F = TypeVar("F", bound=Callable[..., Any])
_VERBOSITY = "feedpub.verbosity"


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when under it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _echo_problem(problem: Problem) -> None:
    click.echo(problem.format(shown), err=True)


def _echo_warnings(problems: tuple[Problem, ...], verbose: bool) -> None:
    for line in _warning_lines(problems, verbose):
        click.echo(line, err=True)


def _warning_lines(problems: Iterable[Problem], verbose: bool) -> list[str]:
    """Warnings as printed, and notes (files skipped on purpose) with --verbose. A warning that other
    files give word for word is printed once, at its first file, unless verbose (errors.folded)."""
    kept = [problem for problem in problems if problem.severity != "note" or verbose]
    if verbose:
        return [problem.format(shown) for problem in kept]
    lines = []
    for problem, others in folded(kept):
        also = f" (also in {others:,} other file{'s' * (others != 1)}; -v lists them)" if others else ""
        lines.append(problem.format(shown) + also)
    return lines


def _echo_error(error: FeedpubError, verbosity: str) -> int:
    """Print one of feedpub's errors as the user should see it (every problem it holds); its exit code."""
    if isinstance(error, ContentError):
        if verbosity != "quiet":
            _echo_warnings(error.warnings, verbosity == "verbose")
        for problem in error.problems:
            _echo_problem(problem)
        count = len(error.problems)
        click.echo(f"feedpub: {count} error{'s' * (count != 1)}; {error.outcome}", err=True)
    elif isinstance(error, ConfigError):
        for problem in error.problems:
            _echo_problem(problem)
    else:
        click.echo(f"error: {error}", err=True)
    return error.exit_code


def _a_number(option: str, value: float) -> float:
    """`value`, unless it is NaN (which click's FloatRange lets through: it compares false to any bound)."""
    if math.isnan(value):
        raise click.BadParameter(f"{value} is not a number of seconds", param_hint=f"'{option}'")
    return value


class _Group(click.Group):
    """Turns feedpub's errors into messages and exit codes, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FeedpubError as error:
            ctx.exit(_echo_error(error, ctx.meta.get(_VERBOSITY, "normal")))


def config_option(function: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=CONFIG_FILE,
        show_default=True,
        help="The site's configuration file.",
    )(function)


def site_options(function: F) -> F:
    """--articles and --url, which every command reading the site takes."""
    function = click.option("--url", help="The site's base URL ([site] url).")(function)
    return click.option(
        "--articles",
        type=click.Path(path_type=Path, file_okay=False),
        help="Article folder ([build] articles).",
    )(function)


def schedule_options(function: F) -> F:
    function = click.option(
        "--now", metavar="DATE", help="Build as if it were this moment (YYYY-MM-DD[ HH:MM], site time zone)."
    )(function)
    function = click.option("--future", is_flag=True, help="Include articles dated in the future (preview).")(function)
    return click.option("--drafts", is_flag=True, help="Include drafts (preview).")(function)


def _overrides(articles: Path | None, url: str | None, **more: Any) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if articles is not None:
        overrides["build.articles"] = str(articles.resolve())
    if url is not None:
        overrides["site.url"] = url
    for key, value in more.items():
        if value is not None:
            overrides[key] = str(value.resolve()) if isinstance(value, Path) else value
    return overrides


def verbosity_options(function: F) -> F:
    function = click.option("-q", "--quiet", is_flag=True, help="Print errors only (for cron).")(function)
    return click.option("-v", "--verbose", is_flag=True, help="Also print what is being done.")(function)


def _setup_logging(quiet: bool, verbose: bool) -> None:
    # Shared by every context of this run, so _Group knows whether to print warnings beside errors.
    click.get_current_context().meta[_VERBOSITY] = "quiet" if quiet else "verbose" if verbose else "normal"
    if not verbose and "logging" not in sys.modules:
        # feedpub logs nothing but debug lines (serve's): unset, logging says nothing either, and a
        # build does without importing it
        return
    import logging

    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING
    logger = logging.getLogger("feedpub")
    logger.handlers[:] = [logging.StreamHandler()]
    logger.handlers[0].setFormatter(logging.Formatter("%(message)s"))
    logger.setLevel(level)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedpub")
def main() -> None:
    """feedpub: publish a folder of Markdown articles as RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds."""


@main.command()
@config_option
@site_options
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), help="Output folder ([build] output).")
@click.option("--limit", type=click.IntRange(min=1), help="Items per feed ([build] limit).")
@schedule_options
@click.option("--no-cache", is_flag=True, help="Parse and render everything; neither read nor update the cache.")
@click.option(
    "--reset-ids", is_flag=True, help="Give published articles their new ids ([build] ids keeps the first ones)."
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Processes that parse a cold build (default: one per core)."
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    callback=lambda _, __, value: _a_number("--wait", value),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another build of the site to finish (then exit 4).",
)
@click.option(
    "--keep-going", is_flag=True, help="Publish without the articles that have errors (exit 5 if there were any)."
)
@click.option("--ping", "ping_hub", is_flag=True, help="Tell the WebSub hub ([websub] hub) which feeds changed.")
@verbosity_options
def build(
    config_path: Path,
    articles: Path | None,
    url: str | None,
    output: Path | None,
    limit: int | None,
    drafts: bool,
    future: bool,
    now: str | None,
    no_cache: bool,
    reset_ids: bool,
    jobs: int | None,
    wait: float,
    keep_going: bool,
    ping_hub: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build feeds/rss.xml, feeds/atom.xml and feeds/feed.json from the articles ([build] formats).

    Files whose bytes would not change are left untouched; on any error no feed is changed
    (with --keep-going, the feeds are published without the articles that have errors).
    Only files that changed since the last build are parsed again ([build] cache).
    """
    started = time.perf_counter()
    _setup_logging(quiet, verbose)
    overrides = _overrides(articles, url, **{"build.output": output, "build.limit": limit})
    config = load_config(config_path, overrides)
    if ping_hub:  # said before the build, not after
        _hub(config)
    with _progress(quiet) as progress:
        result = publish(
            config,
            schedule=make_schedule(config, now, drafts=drafts, future=future),
            use_cache=not no_cache,
            reset_ids=reset_ids,
            jobs=jobs,
            wait=wait,
            keep_going=keep_going,
            progress=progress,
        )
    report, stats = result.report, result.stats
    warnings = _warning_lines(result.site.warnings, verbose)
    pinged = [problem.format(shown) for problem in result.this_run]
    pinged += [problem.format(shown) for problem in _ping(config, report.written)] if ping_hub else []
    if not quiet:
        for line in warnings + pinged:  # these are not the record's: they concern this run alone
            click.echo(line, err=True)
    for problem in result.errors:
        _echo_problem(problem)
    every = report.written + report.unchanged
    feeds = f"{_files(every, config.output)} ({_count(result.items, 'item')} each)"
    if not quiet:
        click.echo(_summary(result, time.perf_counter() - started))
    if result.errors:
        click.echo(f"feedpub: {_count(len(result.errors), 'error')}; published without those articles", err=True)
        sys.exit(5)
    if result.tree is not None and not no_cache and config.cache is not None and not verbose:
        # for the next run's quick check: what it must find unchanged, and what to print then
        Record.make(
            sys.argv[1:],
            config_path,
            config.articles,
            result.tree,
            stats.consulted,
            every,
            result.valid_until_ns,
            ("unchanged " + feeds, "".join(line + "\n" for line in warnings)),
            stats.files,
        ).save(config.cache)


def _summary(result: PublishResult, seconds: float, name_unchanged: bool = True) -> str:
    """A build's one line: `wrote feeds/rss.xml, ... (20 items each); 10000 article files: ...; 0.41 s`
    (with `name_unchanged` false, the files left as they were are counted, not named)."""
    stats = result.stats
    output = result.site.config.output
    done = [f"{verb} {_files(paths, output)}" for verb, paths in _written_unchanged(result.report) if paths]
    if not name_unchanged and result.report.unchanged:
        done[-1] = f"{_count(len(result.report.unchanged), 'file')} unchanged"
    return (
        f"{'; '.join(done)} ({_count(result.items, 'item')} each); {_count(stats.files, 'article file')}: "
        f"{stats.parsed} parsed, {stats.files - stats.parsed} unchanged; "
        f"{stats.rendered + stats.rendered_cached} rendered: {stats.rendered} fresh, "
        f"{stats.rendered_cached} from the cache; {seconds:.2f} s"
    )


# A build that names more files than this names those at the top of the output folder (the
# subscription feeds, the page) and counts the rest (archive pages, topic feeds): one line still.
_NAMED_FILES = 8


def _files(paths: Sequence[Path], output: Path) -> str:
    if len(paths) <= _NAMED_FILES:
        return ", ".join(shown(path) for path in paths)
    top = [path for path in paths if path.parent == output][:_NAMED_FILES]
    rest = f"{len(paths) - len(top)} {'more ' if top else ''}files in {shown(output)}/"
    return ", ".join([*(shown(path) for path in top), f"and {rest}" if top else rest])


def _hub(config: SiteConfig) -> str:
    if config.hub is None:
        raise UsageError("--ping: the site names no WebSub hub; set [websub] hub in feedpub.toml")
    return config.hub


def _ping(config: SiteConfig, written: Iterable[Path]) -> list[Problem]:
    from feedpub.build.ping import ping

    feeds = [path for path in written if path.name in FEED_NAMES]  # not the page (index.html) or feed.xsl
    return ping(_hub(config), [(path, file_url(config, path.relative_to(config.output).as_posix())) for path in feeds])


@main.command(name="ping")
@config_option
@verbosity_options
def ping_command(config_path: Path, quiet: bool, verbose: bool) -> None:
    """Tell the WebSub hub ([websub] hub) that every feed of the site changed.

    `feedpub build --ping` does so for the feeds a build rewrote; this is for the other times
    (a hub that was down, a first subscription). A hub that does not answer is a warning.
    """
    _setup_logging(quiet, verbose)
    config = load_config(config_path)
    every = sorted(path for path in config.output.rglob("*") if path.name in FEED_NAMES)
    for problem in _ping(config, every):
        _echo_problem(problem)
    if not quiet:
        click.echo(f"told {config.hub} of {_count(len(every), 'feed')}", err=True)


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'s' * (number != 1)}"


def _written_unchanged(report: WriteReport) -> tuple[tuple[str, tuple[Path, ...]], ...]:
    return (("wrote", report.written), ("unchanged", report.unchanged))


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress]:
    """A progress bar on a terminal, once parsing has taken a second; never under -q or without a terminal."""
    started = time.monotonic()
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if quiet or not sys.stderr.isatty():
            return
        if bar is None and time.monotonic() - started > 1:
            bar = click.progressbar(length=total, label="parsing", file=sys.stderr).__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@main.command()
@config_option
@site_options
@click.option("--feeds", "with_feeds", is_flag=True, help="Also validate the feeds a build would write.")
@verbosity_options
def check(
    config_path: Path, articles: Path | None, url: str | None, with_feeds: bool, quiet: bool, verbose: bool
) -> None:
    """Read the config and every article and report every problem; write nothing.

    With --feeds, also check the feeds a build would write: Atom against RFC 4287's schema, RSS
    against RSS 2.0 and the RSS Advisory Board's profile, JSON against JSON Feed 1.1.
    Exit 0 when there is no error (warnings allowed), 1 when there is one.
    """
    _setup_logging(quiet, verbose)
    config = load_config(config_path, _overrides(articles, url))
    site, _ = check_site(config)  # whatever building would refuse is found now, not at the next cron run
    if with_feeds:
        from feedpub.feeds.check import check_feeds

        found = check_feeds(build_feeds(site), config.output)
        errors = [problem for problem in found if problem.severity == "error"]
        site = replace(site, warnings=site.warnings + tuple(p for p in found if p.severity != "error"))
        if errors:
            raise ContentError(errors, "the feeds a build would write are not valid", site.warnings)
    if quiet:
        return
    _echo_warnings(site.warnings, verbose)
    warnings = sum(problem.severity == "warning" for problem in site.warnings)
    count = len(site.articles)
    click.echo(f"{count} article{'s' * (count != 1)}, no errors, {warnings} warning{'s' * (warnings != 1)}", err=True)


@main.command(name="list")
@config_option
@site_options
@click.option("--now", metavar="DATE", help="Tell status as of this moment (YYYY-MM-DD[ HH:MM]).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one array of objects) for scripts.")
@click.option("-v", "--verbose", is_flag=True, help="Also show each article's file and Markdown preset.")
def list_articles(
    config_path: Path, articles: Path | None, url: str | None, now: str | None, as_json: bool, verbose: bool
) -> None:
    """List the articles as the feeds see them: date, status, id and title, newest first.

    Status is published, draft, scheduled (dated in the future) or expired. With -v, each line
    also names the file and the Markdown preset it is rendered with ([build] markdown).
    """
    config = load_config(config_path, _overrides(articles, url))
    site = load_site(config)
    moment = make_schedule(config, now).now
    rows = _rows(site, moment)
    if as_json:
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        line = f"{row['date'][:16].replace('T', ' ')}  {row['status']:<9}  {row['id']}  {row['title']}"
        click.echo(f"{line}  [{row['markdown']}: {row['path']}]" if verbose else line)


def _rows(site: Site, now: datetime) -> list[dict[str, str]]:
    chosen = sorted(site.articles, key=Article.newest_first)
    zone = site.config.timezone
    return [
        {
            "date": article.date.astimezone(zone).isoformat(),
            "updated": article.updated.astimezone(zone).isoformat(),
            "status": article.status(now),
            "id": article.id,
            "url": article.url,
            "title": article.title,
            "path": shown(article.path),
            "markdown": article.markdown,
        }
        for article in chosen
    ]


@main.command()
@config_option
@click.argument("title")
@click.option("--now", metavar="DATE", help="Date the article at this moment instead of now.")
def new(config_path: Path, title: str, now: str | None) -> None:
    """Create a draft article titled TITLE, dated now; never overwrites a file.

    The file is <articles>/<slug>.md, the slug made from the title.
    """
    from feedpub.authoring import new_article  # only this command and import need it

    config = load_config(config_path)
    path = new_article(config, title, make_schedule(config, now).now)
    click.echo(f"wrote {shown(path)} (a draft: remove 'draft: true' to publish it)")


@main.command(name="import")
@config_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--date", metavar="DATE", help="The articles' date (default: each file's modification time).")
@click.option("--author", "authors", multiple=True, help="An author (repeat for several).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
def import_(
    config_path: Path, files: tuple[Path, ...], date: str | None, authors: tuple[str, ...], tags: tuple[str, ...]
) -> None:
    """Turn plain-text newsroom articles into Markdown articles; FILE '-' reads standard input.

    The layout: a headline line, a one-paragraph standfirst (the summary), an optional
    "Key points" (or "Highlights", "Key takeaways") block of bullet lines, then the body.
    Existing articles are never overwritten.
    """
    from feedpub.authoring import import_stories

    config = load_config(config_path)
    when = make_schedule(config, date).now if date is not None else None
    inputs: list[Path | tuple[str, str]] = [
        ("<stdin>", sys.stdin.read()) if str(path) == "-" else path for path in files
    ]
    result = import_stories(config, inputs, date=when, authors=authors, tags=tags)
    errors = [problem for problem in result.problems if problem.severity == "error"]
    for problem in result.problems:
        if problem.severity == "warning":
            _echo_problem(problem)
    for path in result.written:
        click.echo(f"wrote {shown(path)}")
    if errors:
        raise ContentError(errors, "those files were not imported")


def _stdin_is_terminal() -> bool:
    """Whether init may ask (a person at a terminal); the tests replace it to answer prompts."""
    return sys.stdin.isatty()


@main.command()
@click.argument("directory", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--from",
    "site",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="An existing Jekyll, Hugo, Pelican or Eleventy site: write the feedpub.toml matching its configuration.",
)
@click.option("--title", help="The site's title ([site] title).")
@click.option("--url", help="The site's base URL ([site] url).")
@click.option("--author", help="The feeds' author ([site] author).")
@click.option("--timezone", help="The IANA time zone of dates without one ([site] timezone).")
def init(
    directory: Path, site: Path | None, title: str | None, url: str | None, author: str | None, timezone: str | None
) -> None:
    """Start a project in DIRECTORY (default .): feedpub.toml, a sample article and .gitignore.

    With --from SITE, write only the feedpub.toml that publishes the posts of that site (its
    own configuration read, never run). On a terminal it asks for what no option gives; it
    never overwrites a file.
    """
    from feedpub import init as setup

    given = {"title": title, "url": url, "author": author, "timezone": timezone}
    if url is not None:
        given["url"] = setup.check_url(url)
    if timezone is not None:
        given["timezone"] = setup.check_timezone(timezone)
    if site is None:
        answers = _ask(given, {"title": "My feeds", "url": None, "timezone": setup.local_timezone()})
        files = setup.new_project(
            setup.Answers(
                answers["title"] or "", answers["url"] or "", answers["author"], answers["timezone"] or "UTC"
            ),
            datetime.now().astimezone(),
        )
    else:
        draft = setup.read_site(site, directory)
        found = {key: draft.get("site", key) for key in given}
        if _stdin_is_terminal():
            given = _ask(
                given, {key: value for key, value in found.items() if isinstance(value, str)}, only_missing=True
            )
        for key, value in given.items():
            if value:
                draft.set("site", key, value, "given to feedpub init")
                draft.cannot.pop(("site", key), None)
        missing = [key for key in ("title", "url") if not draft.get("site", key)]
        if missing:
            options = " and ".join(f"--{key}" for key in missing)
            raise UsageError(f"{site}: the site's configuration gives no {' or '.join(missing)}; pass {options}")
        files = {CONFIG_FILE: setup.site_config(draft, site, directory)}
    for path in setup.write_project(directory, files):
        click.echo(f"wrote {shown(path)}")
    where = "" if directory.resolve() == Path.cwd() else f"cd {shown(directory.resolve())} && "
    click.echo(f"next: {where}feedpub build", err=True)


def _ask(
    given: dict[str, str | None], defaults: dict[str, str | None], only_missing: bool = False
) -> dict[str, str | None]:
    """`given` with the missing answers asked on a terminal, or an error (exit 2) naming the required ones."""
    from feedpub import init as setup

    answers = dict(given)
    if not _stdin_is_terminal():
        missing = [f"--{key}" for key in ("title", "url") if not answers[key]]
        if missing and not only_missing:
            raise UsageError(
                f"no terminal to ask on: pass {' and '.join(missing)} (and --author, --timezone if wanted)"
            )
        return {key: value or defaults.get(key) for key, value in answers.items()}
    checks: dict[str, Callable[[str], str]] = {"url": setup.check_url, "timezone": setup.check_timezone}
    prompts = {"title": "Site title", "url": "Site URL", "author": "Author (empty for none)", "timezone": "Time zone"}
    for key, prompt in prompts.items():
        if answers[key] or (only_missing and defaults.get(key)):
            answers[key] = answers[key] or defaults.get(key)
            continue
        check = checks.get(key)
        answers[key] = (
            click.prompt(
                prompt,
                default=defaults.get(key) or ("" if key == "author" else None),
                show_default=bool(defaults.get(key)),
                value_proc=(lambda text, check=check: _checked(text, check)) if check else None,
            ).strip()
            or None
        )
    return answers


def _checked(text: str, check: Callable[[str], str]) -> str:
    try:
        return check(text)
    except UsageError as error:
        raise click.UsageError(str(error)) from None


@main.command()
@config_option
@click.option("--all", "every", is_flag=True, help="Also the per-tag and per-author feeds (reads the articles).")
@click.option("--html", "as_html", is_flag=True, help="Print a 'Subscribe' block of links for a page's body instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (an array of objects) for templates instead.")
def links(config_path: Path, every: bool, as_html: bool, as_json: bool) -> None:
    """Print the <link rel="alternate"> tags of the site's feeds, one per format, for a page's <head>.

    The addresses are the feeds' own ([site] feeds_url); no build is needed. --all adds the feeds
    of each tag and author ([build] tag_feeds, author_feeds), which needs the articles.
    """
    from feedpub.build.pipeline import site_topics
    from feedpub.feeds.links import feed_links, head_tags, subscribe_html, to_json

    if as_html and as_json:
        raise UsageError("--html and --json: choose one of them")
    config = load_config(config_path)
    topics = []
    if every:
        if not (config.tag_feeds or config.author_feeds):
            click.echo("feedpub links --all: [build] tag_feeds and author_feeds are off; no topic feeds", err=True)
        topics = site_topics(load_site(config))
    found = feed_links(config, topics)
    click.echo(to_json(found) if as_json else subscribe_html(found) if as_html else head_tags(found), nl=False)


@main.command()
@config_option
@site_options
@schedule_options
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port (0: any free one)."
)
@verbosity_options
def serve(
    config_path: Path,
    articles: Path | None,
    url: str | None,
    drafts: bool,
    future: bool,
    now: str | None,
    host: str,
    port: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build, then serve the output folder over HTTP and build again whenever an article or the config changes.

    A preview: the feeds with their own Content-Types, ETag and Last-Modified (304 when unchanged),
    and index.html for a folder; nothing outside the output folder, no folder listings. A build
    that fails prints its problems and leaves the last good feeds served. Ctrl-C stops it.
    """
    from feedpub.serve.preview import Build, Preview  # the server and the watcher only for this command

    _setup_logging(quiet, verbose)
    verbosity = click.get_current_context().meta[_VERBOSITY]

    def report(build: Build) -> None:
        what = "built" if not build.changed else f"rebuilt ({_changed(build.changed)} changed)"
        if build.error is not None:
            _echo_error(build.error, verbosity)
            click.echo(f"feedpub serve: {what} with errors; still serving the last good feeds", err=True)
            return
        assert build.result is not None
        if not quiet:
            warnings = _warning_lines(build.result.site.warnings, verbose)
            for line in warnings + [problem.format(shown) for problem in build.result.this_run]:
                click.echo(line, err=True)
            click.echo(f"{what}: {_summary(build.result, build.seconds, name_unchanged=False)}")

    # Ctrl-C (SIGINT) stops it, even started in the background of a shell without job control,
    # which leaves SIGINT ignored (and Python then never interrupts); a service manager's SIGTERM too.
    before = signal.signal(signal.SIGINT, signal.default_int_handler), signal.signal(signal.SIGTERM, _stop)
    try:
        with Preview(
            config_path, _overrides(articles, url), host, port, now=now, drafts=drafts, future=future
        ) as preview:
            report(preview.build())
            preview.start()
            click.echo(f"serving {shown(preview.config.output)} at {preview.url} (Ctrl-C to stop)")
            preview.run(report)
    except KeyboardInterrupt:
        click.echo("feedpub serve: stopped", err=True)
    finally:  # as they were (the library's callers, the tests, keep their own)
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])


def _stop(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _changed(paths: tuple[Path, ...]) -> str:
    first = shown(paths[0])
    return first if len(paths) == 1 else f"{first} and {_count(len(paths) - 1, 'other')}"
