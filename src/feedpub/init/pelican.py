"""`feedpub init --from` for Pelican: pelicanconf.py and publishconf.py, read with `ast`, never run.

A Pelican config is Python. Running it would run whatever it does (imports, files, the network),
so only its top-level assignments are read: constants, lists, tuples and dicts of them, names
assigned before, `+` of strings, and `a if test else b` whose test is known. Anything else (a
call, an f-string) is unknown, and said so. publishconf.py's assignments win, as `pelican -s
publishconf.py` has them.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from feedpub.errors import ConfigError
from feedpub.init.draft import Draft
from feedpub.init.files import relative
from feedpub.init.patterns import Translation, translate

__all__ = ["read_assignments", "read_pelican", "translate_permalink"]

CONFIG_NAMES = ("pelicanconf.py", "publishconf.py")
_UNKNOWN = object()
_TOKEN = re.compile(r"\{(\w+(?::[^}]*)?)\}")
_DATE_FORMATS = {"date:%Y": "{year}", "date:%m": "{month}", "date:%d": "{day}"}
_UNTRANSLATABLE = {"category": "the article's category", "author": "the article's author", "lang": "its language"}
# What the pelican preset has already (render/pymarkdown.py): these need no [build] markdown_extensions.
_PRESET_EXTENSIONS = {"markdown.extensions.extra", "extra", "markdown.extensions.meta", "meta"}


def read_assignments(path: Path, known: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, int]]:
    """The values a Python config file assigns at its top level (unknown ones as _UNKNOWN), and their lines."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as error:
        raise ConfigError(path, error.lineno, f"not valid Python: {error.msg}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, None, f"could not be read: {error}") from None
    values = dict(known or {})
    lines: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, node = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, node = [statement.target], statement.value
        else:
            continue
        value = _value(node, values)
        for target in targets:
            if isinstance(target, ast.Name):
                values[target.id] = value
                lines[target.id] = statement.lineno
    return values, lines


def _value(node: ast.expr, names: dict[str, Any]) -> Any:
    """A literal, or _UNKNOWN; names are those assigned before."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id, _UNKNOWN)
    if isinstance(node, ast.List | ast.Tuple):
        items = [_value(item, names) for item in node.elts]
        return _UNKNOWN if _UNKNOWN in items else items
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):  # {**other}
            return _UNKNOWN
        pairs = [
            (_value(key, names), _value(value, names)) for key, value in zip(node.keys, node.values, strict=True) if key
        ]
        if any(_UNKNOWN in pair for pair in pairs) or not all(isinstance(key, str) for key, _ in pairs):
            return _UNKNOWN
        return dict(pairs)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _value(node.left, names), _value(node.right, names)
        return left + right if isinstance(left, str) and isinstance(right, str) else _UNKNOWN
    if isinstance(node, ast.IfExp):
        test = _value(node.test, names)
        if isinstance(test, bool | int | str | None) and test is not _UNKNOWN:
            return _value(node.body if test else node.orelse, names)
        return _UNKNOWN
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        test = _value(node.operand, names)
        return _UNKNOWN if test is _UNKNOWN else not test
    return _UNKNOWN


def read_pelican(site: Path, target: Path) -> Draft:
    """The feedpub settings matching the Pelican site in `site`; paths relative to `target`'s folder."""
    main = site / CONFIG_NAMES[0]
    if not main.is_file():
        raise ConfigError(main, None, "no Pelican configuration found (pelicanconf.py)")
    values, lines = read_assignments(main)
    draft = Draft(generator="Pelican", read=[main])
    origin = dict.fromkeys(values, main.name)
    publish = site / CONFIG_NAMES[1]
    if publish.is_file():  # it usually starts `from pelicanconf import *`: what it assigns wins
        later, more = read_assignments(publish, values)
        origin.update(dict.fromkeys(more, publish.name))
        values, lines = later, {**lines, **more}
        draft.read.append(publish)

    def known(name: str) -> Any:
        value = values.get(name)
        if value is _UNKNOWN:
            draft.remark(
                f"{origin[name]}:{lines[name]}: {name} is computed; init reads literal values only, never runs it"
            )
            return None
        return value

    def why(name: str) -> str:
        return f"{origin[name]}: {name}"

    url = known("SITEURL")
    if isinstance(url, str) and url.startswith(("http://", "https://")) and "localhost" not in url:
        draft.set("site", "url", url.rstrip("/") + "/", why("SITEURL"))
    elif url:
        draft.note("site", "url", f"SITEURL is {url!r}, not the public site's URL (publishconf.py usually has that)")
    for key, name in (
        ("title", "SITENAME"),
        ("author", "AUTHOR"),
        ("timezone", "TIMEZONE"),
        ("language", "DEFAULT_LANG"),
    ):
        value = known(name)
        if isinstance(value, str) and value.strip():
            draft.set("site", key, value.strip(), why(name))
    if not isinstance(values.get("TIMEZONE"), str):
        draft.note("site", "timezone", "pelicanconf.py sets no TIMEZONE; Pelican then says so and uses UTC")
    subtitle = known("SITESUBTITLE")
    if isinstance(subtitle, str) and subtitle.strip():
        draft.set("site", "description", subtitle.strip(), why("SITESUBTITLE"))
    _articles(site, target, values, known, why, draft)
    _url(values, known, why, draft)
    draft.set("build", "markdown", "pelican", "Pelican's Python-Markdown")
    _markdown(known("MARKDOWN"), why, draft)
    return draft


def _articles(site: Path, target: Path, values: dict[str, Any], known: Any, why: Any, draft: Draft) -> None:
    path = known("PATH")
    if isinstance(path, str):
        content, reason = site / path, why("PATH")
    elif (site / "content").is_dir():  # `pelican content`, as the quick-started Makefile and tasks.py run it
        content, reason = site / "content", "PATH not set; `pelican content` (the Makefile's) reads content/"
    else:
        content, reason = site, "PATH not set: Pelican reads the folder it runs in"
    article_paths = known("ARTICLE_PATHS")
    articles = content
    if isinstance(article_paths, list) and len(article_paths) == 1 and str(article_paths[0]).strip("/"):
        articles, reason = content / str(article_paths[0]), why("ARTICLE_PATHS")
    elif isinstance(article_paths, list) and len(article_paths) > 1:
        draft.note("build", "articles", f"ARTICLE_PATHS lists {len(article_paths)} folders; feedpub reads their parent")
    draft.set("build", "articles", relative(articles, target), reason)
    # Pelican reads pages and static files from folders inside PATH; they are no articles.
    pages = known("PAGE_PATHS") if "PAGE_PATHS" in values else ["pages"]
    static = known("STATIC_PATHS") if "STATIC_PATHS" in values else ["images"]
    excluded = [
        where.relative_to(articles).as_posix() + "/"
        for where in (content / str(item) for item in [*(pages or []), *(static or [])])
        if where.is_dir() and articles in where.parents
    ]
    if excluded:
        draft.set(
            "build", "exclude", sorted(set(excluded)), "PAGE_PATHS and STATIC_PATHS: pages and files, no articles"
        )


def _url(values: dict[str, Any], known: Any, why: Any, draft: Draft) -> None:
    pattern, name = known("ARTICLE_URL"), "ARTICLE_URL"
    save_as = known("ARTICLE_SAVE_AS")
    if not isinstance(pattern, str) and isinstance(save_as, str):
        pattern, name = re.sub(r"(^|/)index\.html$", r"\1", save_as), "ARTICLE_SAVE_AS"
    if isinstance(pattern, str):
        result = translate_permalink(pattern, str(values.get("DEFAULT_LANG") or "en"))
        reason = why(name)
    else:
        result, reason = translate_permalink("{slug}.html", "en"), "Pelican's default ARTICLE_URL, {slug}.html"
    if result.permalink is not None:
        draft.set("build", "permalink", result.permalink, reason)
    for note in result.notes:
        draft.note("build", "permalink", note)
    metadata = values.get("FILENAME_METADATA")
    source = values.get("SLUGIFY_SOURCE")
    if (isinstance(metadata, str) and "?P<slug>" in metadata) or source == "basename":
        draft.set("build", "slug_from", "file", "the slug comes from the file name (FILENAME_METADATA/SLUGIFY_SOURCE)")


def translate_permalink(pattern: str, language: str) -> Translation:
    """Pelican's ARTICLE_URL ({slug}, {date:%Y}, ...) in feedpub's placeholders."""
    mapping = {"slug": "{slug}", **_DATE_FORMATS, "lang": language}
    return translate(pattern, _TOKEN, mapping, _UNTRANSLATABLE, "Pelican")


def _markdown(setting: Any, why: Any, draft: Draft) -> None:
    if not isinstance(setting, dict):
        return
    configs = setting.get("extension_configs") if isinstance(setting.get("extension_configs"), dict) else {}
    extensions: dict[str, Any] = {name: {} for name in setting.get("extensions") or [] if isinstance(name, str)}
    extensions.update({name: value for name, value in (configs or {}).items() if isinstance(value, dict)})
    chosen: dict[str, Any] = {}
    for name, settings in extensions.items():
        if name in _PRESET_EXTENSIONS or (name.endswith("codehilite") and not settings):
            continue
        if _installed(name):
            chosen[name] = settings
        else:
            draft.note(
                "build",
                "markdown_extensions",
                f"MARKDOWN names {name!r}, which is not installed here; install it and add it",
            )
    if chosen:
        draft.set("build", "markdown_extensions", chosen, why("MARKDOWN"))


def _installed(name: str) -> bool:
    """Whether Python-Markdown could load an extension: a module, markdown.extensions.<name>, or an entry point."""
    if name in {point.name for point in entry_points(group="markdown.extensions")}:
        return True
    for module in (name, f"markdown.extensions.{name}"):
        try:
            if importlib.util.find_spec(module) is not None:
                return True
        except (ImportError, ValueError):
            continue
    return False
