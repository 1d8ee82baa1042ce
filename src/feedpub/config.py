"""The site's configuration: `feedpub.toml` in, a frozen `SiteConfig` out."""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from feedpub.errors import ConfigError, Problem, shown
from feedpub.model import as_uri, fetched, normal_key, url_error
from feedpub.read.dates import DateError, to_datetime
from feedpub.render.presets import CHOICES
from feedpub.xmlchars import find_forbidden

__all__ = ["CONFIG_FILE", "PERMALINK_FIELDS", "SLUG_SOURCES", "SiteConfig", "load_config"]

CONFIG_FILE = "feedpub.toml"
FORMATS = ("rss", "atom", "json")  # the feed formats, in the order their files are written
PERMALINK_FIELDS = ("year", "month", "day", "slug", "name", "path", "dir")
SLUG_SOURCES = ("auto", "file", "title")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything a build needs to know about the site; paths are absolute."""

    title: str
    url: str
    description: str
    language: str
    author: str | None
    timezone: ZoneInfo
    feeds_url: str
    articles: Path
    output: Path
    limit: int
    permalink: str
    slug_from: str = "auto"  # where a slug comes from when none is written: SLUG_SOURCES
    lowercase_urls: bool = False  # the permalink's result in lower case (Hugo's disablePathToLower = false)
    exclude: tuple[str, ...] = ()
    ignore_keys: frozenset[str] = frozenset()  # as model.normal_key matches front-matter keys
    excerpt_separator: str = "<!--more-->"
    summary_words: int = 60
    key_points_heading: str = "Key points"
    key_points_in_summary: bool = False
    markdown: str = "auto"  # a preset of render.presets, or "auto": per file, as its generator
    smart: bool | None = None  # None: the preset's own
    raw_html: bool | None = None
    linkify: bool | None = None
    tex_math: bool | None = None
    # Python-Markdown extensions (name -> settings) added to the pelican and python-markdown presets.
    markdown_extensions: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    ignore_tags: frozenset[str] = frozenset()  # template tags kept as written without a warning
    site_variables: tuple[tuple[str, str], ...] = ()  # Jekyll's {{ site.NAME }}, as its _config.yml sets them
    cache: Path | None = None  # the build cache's folder (build.cache); None: no cache
    formats: tuple[str, ...] = ("rss", "atom", "json")  # which feed files a build writes
    since: datetime | None = None  # articles dated before it stay out of the feeds (build.since)
    ids: Path | None = None  # the id ledger (build.ids); None: no ledger
    tag_feeds: bool = False  # a feed per tag, under tags/<slug>/
    author_feeds: bool = False  # a feed per author, under authors/<slug>/
    archive_size: int = 100  # items per RFC 5005 archive page (feeds/archives.py); 0: no archives
    icon: str | None = None  # the feed's image, absolute: JSON Feed icon, Atom logo, RSS image
    favicon: str | None = None  # its small icon, absolute: JSON Feed favicon, Atom icon
    html_page: bool = True  # index.html beside the feeds, for people (feeds/page.py)
    xsl: bool = False  # RSS and Atom name an XSL stylesheet, feed.xsl, that browsers show them with
    hub: str | None = None  # a WebSub hub ([websub] hub): feeds name it, builds can ping it
    path: Path | None = None

    @property
    def host(self) -> str:
        return _host(self.url)

    @property
    def own_files(self) -> tuple[Path, ...]:
        """What feedpub reads as settings or writes: never articles, should the articles folder hold them
        (`articles = "."` beside feedpub.toml, the feeds' folder inside it)."""
        return tuple(path for path in (self.path, self.output, self.cache, self.ids) if path is not None)


@functools.lru_cache(maxsize=16)
def _host(url: str) -> str:  # (asked for once per article: each article's id names it)
    # (the site's URL is a URI already, an IDN host in its IDNA form: see as_uri in _check)
    return urlsplit(url).hostname or ""


def load_config(path: Path | str = CONFIG_FILE, overrides: Mapping[str, Any] | None = None) -> SiteConfig:
    """Read and check a config file; `overrides` maps "table.key" to values that win.

    Relative paths in the file are relative to the file's folder; paths given as overrides
    should be absolute (the CLI resolves them against the working directory).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            path, None, f"config file not found; create {CONFIG_FILE} (see the README) or pass --config"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:  # ValueError: a NUL in the path
        raise ConfigError(path, None, f"could not be read: {error}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        raise ConfigError(path, line, f"not valid TOML: {error}") from None
    except RecursionError:  # Python's TOML reader recurses once a level
        raise ConfigError(
            path, None, "nests lists or tables hundreds of levels deep, deeper than TOML readers go; flatten it"
        ) from None
    for dotted, value in (overrides or {}).items():
        table, key = dotted.split(".", 1)
        section = raw.setdefault(table, {})
        if isinstance(section, dict):
            section[key] = value
    return _check(raw, path, text)


# Each key: (type, default or _REQUIRED, extra check returning an error message or None).
_REQUIRED = object()
_Check = Callable[[Any], str | None]


def _nonblank(value: str) -> str | None:
    return "must not be blank" if not value.strip() else None


def _url(value: str) -> str | None:
    unreadable = url_error(value)
    if unreadable is not None:
        return f'"{value}" is not a URL ({unreadable}); write it like "https://example.org/"'
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f'"{value}" is not an absolute http(s) URL; write it like "https://example.org/"'
    if parts.query or parts.fragment:
        return f'"{value}" must not have a query or fragment'
    return None


def _site_file(value: str) -> str | None:
    """An image's URL, or its path on the site (`/images/icon.png`)."""
    if not value.strip():
        return "must not be blank"
    unreadable = url_error(value.strip())
    if unreadable is not None:
        return f'"{value}" is not a URL ({unreadable}); write it like "/images/icon.png"'
    if not fetched(value.strip()):
        return f'"{value}" must be an http(s) URL or a path on the site, like "/images/icon.png"'
    return None


def _language(value: str) -> str | None:
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", value):
        return f'"{value}" is not a language tag; write one like "en", "en-GB" or "de"'
    return None


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f'"{value}" is not an IANA time zone; write one like "Europe/Berlin" or "UTC"'
    return None


def _limit(value: int) -> str | None:
    return f"must be 1 or more, not {value}" if value < 1 else None


def _not_negative(value: int) -> str | None:
    return f"must be 0 (none) or more, not {value}" if value < 0 else None


def _one_of(choices: tuple[str, ...]) -> _Check:
    """A check that the value is one of `choices`."""

    def check(value: str) -> str | None:
        if value not in choices:
            return f'"{value}" is not one of ' + ", ".join(f'"{choice}"' for choice in choices)
        return None

    return check


def _names(what: str, example: str) -> _Check:
    """A check that the value is a list of non-blank strings, `what` in the message."""

    def check(value: list[Any]) -> str | None:
        if not all(isinstance(item, str) and item.strip() for item in value):
            return f"must be a list of {what} in quotes, e.g. {example}"
        return None

    return check


def _extensions(value: dict[str, Any]) -> str | None:
    if not all(isinstance(settings, dict) for settings in value.values()):
        return 'must map each extension to its settings, e.g. { toc = { anchorlink = true }, "pymdownx.tilde" = {} }'
    return None


def _variables(value: dict[str, Any]) -> str | None:
    if not all(isinstance(item, str | int | float) and not isinstance(item, bool) for item in value.values()):
        return 'must map each name to its text, e.g. { repository = "https://github.com/jekyll/jekyll" }'
    return None


def _date(value: str) -> str | None:
    try:
        to_datetime(value, UTC)
    except DateError as error:
        return str(error)
    return None


def _formats(value: list[Any]) -> str | None:
    unknown = [item for item in value if item not in FORMATS]
    if unknown or not value:
        choices = ", ".join(f'"{name}"' for name in FORMATS)
        return f'must list one or more of {choices}, e.g. ["rss", "atom"]' + (
            f"; {unknown[0]!r} is not one" if unknown else ""
        )
    return None


def _permalink(value: str) -> str | None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as error:
        return f'"{value}" is not a valid pattern ({error})'
    unknown = [name for name in fields if name not in PERMALINK_FIELDS]
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in PERMALINK_FIELDS)
        return f'"{value}" uses {{{unknown[0]}}}; a permalink can use {allowed}'
    if not {"slug", "name", "path"} & set(fields):
        return f'"{value}" must contain {{slug}}, {{name}} or {{path}}, or every article would get the same URL'
    return None


_SCHEMA: dict[str, dict[str, tuple[type, object, _Check | None]]] = {
    "site": {
        "title": (str, _REQUIRED, _nonblank),
        "url": (str, _REQUIRED, _url),
        "description": (str, None, None),
        "language": (str, "en", _language),
        "author": (str, None, _nonblank),
        "timezone": (str, "UTC", _timezone),
        "feeds_url": (str, None, _url),
        "icon": (str, None, _site_file),
        "favicon": (str, None, _site_file),
    },
    "build": {
        "articles": (str, "articles", _nonblank),
        "output": (str, "feeds", _nonblank),
        "limit": (int, 20, _limit),
        "permalink": (str, "/{year}/{month}/{slug}/", _permalink),
        "slug_from": (str, "auto", _one_of(SLUG_SOURCES)),
        "lowercase_urls": (bool, False, None),
        "exclude": (list, [], _names("glob patterns", '["drafts/**", "*.draft.md"]')),
        "ignore_keys": (list, [], _names("front-matter keys", '["seo_title", "series_order"]')),
        "excerpt_separator": (str, "<!--more-->", _nonblank),
        "summary_words": (int, 60, _limit),
        "key_points_heading": (str, "Key points", None),
        "key_points_in_summary": (bool, False, None),
        "markdown": (str, "auto", _one_of(CHOICES)),
        "smart": (bool, None, None),
        "raw_html": (bool, None, None),
        "linkify": (bool, None, None),
        "tex_math": (bool, None, None),
        "markdown_extensions": (dict, {}, _extensions),
        "ignore_tags": (list, [], _names("template tag names", '["include", "gallery"]')),
        "site_variables": (dict, {}, _variables),
        "cache": (str, ".feedpub-cache", _nonblank),
        "formats": (list, list(FORMATS), _formats),
        "since": (str, None, _date),
        "ids": (str, "feedpub-ids.txt", None),
        "tag_feeds": (bool, False, None),
        "author_feeds": (bool, False, None),
        "archive_size": (int, 100, _not_negative),
        "html_page": (bool, True, None),
        "xsl": (bool, False, None),
    },
    "websub": {
        "hub": (str, None, _url),
    },
}


def _check(raw: dict[str, Any], path: Path, text: str) -> SiteConfig:
    """The configuration, once every table and key is known and every value right; else a ConfigError
    holding every problem found, in the order of their lines."""
    values: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []

    def refuse(table: str | None, key: str, message: str) -> None:
        problems.append(Problem(path, _line_of(text, table, key), message))

    for table, value in raw.items():
        if table not in _SCHEMA:
            refuse(None, table, f"unknown table [{table}]; the tables are {', '.join(f'[{name}]' for name in _SCHEMA)}")
        elif not isinstance(value, dict):
            refuse(None, table, f"{table} must be a table: [{table}]")
    for table, keys in _SCHEMA.items():
        given = raw.get(table, {})
        if not isinstance(given, dict):
            given = {}  # refused above
        for key in given:
            if key not in keys:
                refuse(table, key, f"unknown key [{table}] {key}; the keys of [{table}] are {', '.join(keys)}")
        values[table] = {}
        for key, (kind, default, check) in keys.items():
            if key not in given:
                if default is _REQUIRED:
                    problems.append(Problem(path, None, f'[{table}] {key} is required; add it, e.g. {key} = "..."'))
                values[table][key] = default
                continue
            value = given[key]
            if isinstance(value, Path):
                value = str(value)
            if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
                wrong = f"{type(value).__name__} {shown(value)}"
                refuse(table, key, f"[{table}] {key} must be {_kind_name(kind)}, not {wrong}")
                continue
            problem = check(value) if check else None
            forbidden = next(filter(None, map(find_forbidden, _strings(value))), None)
            if forbidden is not None:
                problem = f"holds a control character (U+{ord(forbidden[0]):04X}), which feeds cannot carry; remove it"
            if problem:
                refuse(table, key, f"[{table}] {key}: {problem}")
                continue
            values[table][key] = value
    root = path.parent.resolve()
    folders = values["build"]
    if {"articles", "output"} <= folders.keys() and _same(root / folders["output"], root / folders["articles"]):
        message = (
            f'[build] output: "{folders["output"]}" is the articles folder, where feedpub would read its '
            'own feeds as articles; write them to a folder of their own, like "feeds"'
        )
        refuse("build", "output", message)
    if problems:
        raise ConfigError.of(sorted(problems, key=lambda problem: problem.line or 0))

    site, build, websub = values["site"], values["build"], values["websub"]
    # Every URL the feeds name is made of these: as URIs (an IDN host, a path with letters outside ASCII)
    url = as_uri(site["url"] if site["url"].endswith("/") else site["url"] + "/")
    feeds_url = as_uri(site["feeds_url"]) if site["feeds_url"] else url + "feeds/"
    return SiteConfig(
        title=site["title"].strip(),
        url=url,
        description=(site["description"] or "").strip() or site["title"].strip(),
        language=site["language"],
        author=site["author"],
        timezone=ZoneInfo(site["timezone"]),
        feeds_url=feeds_url if feeds_url.endswith("/") else feeds_url + "/",
        articles=root / build["articles"],
        output=root / build["output"],
        limit=build["limit"],
        permalink=build["permalink"],
        slug_from=build["slug_from"],
        lowercase_urls=build["lowercase_urls"],
        exclude=tuple(build["exclude"]),
        ignore_keys=frozenset(normal_key(key) for key in build["ignore_keys"]),
        excerpt_separator=build["excerpt_separator"],
        summary_words=build["summary_words"],
        key_points_heading=build["key_points_heading"].strip(),
        key_points_in_summary=build["key_points_in_summary"],
        markdown=build["markdown"],
        smart=build["smart"],
        raw_html=build["raw_html"],
        linkify=build["linkify"],
        tex_math=build["tex_math"],
        markdown_extensions=tuple(
            (name, tuple(sorted(settings.items()))) for name, settings in sorted(build["markdown_extensions"].items())
        ),
        ignore_tags=frozenset(tag.strip() for tag in build["ignore_tags"]),
        site_variables=tuple(sorted((name, str(value)) for name, value in build["site_variables"].items())),
        cache=root / build["cache"],
        formats=tuple(name for name in FORMATS if name in build["formats"]),
        since=to_datetime(build["since"], ZoneInfo(site["timezone"])) if build["since"] else None,
        ids=root / build["ids"] if build["ids"].strip() else None,
        tag_feeds=build["tag_feeds"],
        author_feeds=build["author_feeds"],
        archive_size=build["archive_size"],
        icon=urljoin(url, as_uri(site["icon"].strip())) if site["icon"] else None,
        favicon=urljoin(url, as_uri(site["favicon"].strip())) if site["favicon"] else None,
        html_page=build["html_page"],
        xsl=build["xsl"],
        hub=as_uri(websub["hub"]) if websub["hub"] else websub["hub"],
        path=path,
    )


def _same(one: Path, other: Path) -> bool:
    return one.resolve() == other.resolve()


def _strings(value: object) -> Iterator[str]:
    """The text of a value of feedpub.toml: itself, a list's items, a table's keys and values, and
    those of the tables in it (markdown_extensions' settings)."""
    tables = [value] if isinstance(value, dict) else []
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))
    for table in tables:
        for key, item in table.items():
            yield str(key)
            if isinstance(item, str):
                yield item
            elif isinstance(item, dict) and table is value:
                tables.append(item)


def _kind_name(kind: type) -> str:
    names = {
        str: "a string (in quotes)",
        int: "a whole number",
        bool: "true or false",
        list: "a list [...]",
        dict: "a table { ... }",
    }
    return names.get(kind, kind.__name__)


def _line_of(text: str, table: str | None, key: str) -> int | None:
    """The line where `key` is set in `[table]` (or where table `key` starts); None if not found."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]\s*(#.*)?", stripped)
        if header:
            current = header[1].strip('"')
            if table is None and current == key:
                return number
            continue
        if table is not None and current == table and re.match(rf'"?{re.escape(key)}"?\s*=', stripped):
            return number
    return None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match[1]) if match else None


def config_keys() -> list[tuple[str, str, bool, object]]:
    """Every key of feedpub.toml, in the order of its tables: (table, key, required, default).

    `feedpub init` writes them all, so that a new feedpub.toml shows every setting there is.
    """
    return [
        (table, key, default is _REQUIRED, None if default is _REQUIRED else default)
        for table, keys in _SCHEMA.items()
        for key, (_, default, _) in keys.items()
    ]
