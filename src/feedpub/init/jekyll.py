"""`feedpub init --from` for Jekyll: `_config.yml` (url, baseurl, permalink, collections, kramdown, ...)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from feedpub.errors import ConfigError
from feedpub.init.draft import Draft
from feedpub.init.files import article_files, front_matter, load, relative
from feedpub.init.patterns import Translation, translate

__all__ = ["CONFIG_NAMES", "STYLES", "read_jekyll", "translate_permalink"]

CONFIG_NAMES = ("_config.yml", "_config.yaml", "_config.toml")
# Jekyll's named permalink styles (Jekyll 4's docs, "Permalinks": built-in formats).
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_TOKEN = re.compile(r":([a-z_]+)")
# :title is the file name (case kept, or the front matter's slug), feedpub's {name}; :slug the same
# in lower case, feedpub's {slug}. Categories have no placeholder: see _categories.
_MAPPING = {
    "year": "{year}",
    "month": "{month}",
    "day": "{day}",
    "title": "{name}",
    "slug": "{slug}",
    "name": "{name}",
    "output_ext": ".html",
    "collection": "posts",
}
_UNTRANSLATABLE = {
    "categories": "the post's categories",
    "slugified_categories": "the post's categories",
    "i_month": "the month without a leading zero",
    "i_day": "the day without a leading zero",
    "short_year": "the year in two digits",
    "y_day": "the day of the year",
    "short_month": "the month's name",
    "long_month": "the month's name",
    "week": "the week of the year",
    "w_year": "the week's year",
    "w_day": "the day of the week",
    "short_day": "the day of the week",
    "long_day": "the day of the week",
    "hour": "the hour",
    "minute": "the minute",
    "second": "the second",
    "path": "the post's path",
    "basename": "the file name",
}


def read_jekyll(site: Path, target: Path) -> Draft:
    """The feedpub settings matching the Jekyll site in `site`; paths relative to `target`'s folder."""
    config_path = next((site / name for name in CONFIG_NAMES if (site / name).is_file()), site / CONFIG_NAMES[0])
    config = load(config_path)
    draft = Draft(generator="Jekyll", read=[config_path])
    where = config_path.name
    _site(config, draft, where)
    source = site / str(config.get("source") or ".")
    posts = source / str(config.get("collections_dir") or "") / "_posts"
    if not posts.is_dir():
        raise ConfigError(config_path, None, f"a Jekyll site, but it has no {posts.relative_to(site)} folder of posts")
    draft.set("build", "articles", relative(posts, target), f"{where}: the posts collection")
    draft.set("build", "markdown", "jekyll", "Jekyll's kramdown")
    collections = config.get("collections")
    if isinstance(collections, dict):
        for name, settings in collections.items():
            if name != "posts" and isinstance(settings, dict) and settings.get("output"):
                draft.note(
                    "build",
                    "articles",
                    f"the collection '{name}' (output: true) is published too; the feeds carry the posts only",
                )
    permalink = _permalink(config)
    result = translate_permalink(permalink)
    posts_files = list(article_files(posts))
    if result.permalink is not None:
        draft.set("build", "permalink", result.permalink, f"{where}: permalink {permalink}")
    for note in result.notes:
        if ":categories" in note:
            with_categories = sum(1 for path in posts_files if _categories(path))
            note += (
                f"; {with_categories} of {len(posts_files)} posts have categories, and their URLs differ"
                " (give them a permalink in their front matter)"
                if with_categories
                else f"; none of the {len(posts_files)} posts has categories, so no URL changes"
            )
        draft.note("build", "permalink", note)
    _markdown(config, draft, where)
    _exclude(config, posts, source, draft, where)
    _variables(config, posts_files, draft, where)
    if config.get("future"):
        draft.remark(
            f"{where} has future: true; feedpub leaves articles out until their date (build --future shows them)"
        )
    return draft


def translate_permalink(pattern: str) -> Translation:
    """Jekyll's permalink (a style name or a pattern) in feedpub's placeholders."""
    expanded = STYLES.get(pattern, pattern)
    return translate(expanded, _TOKEN, _MAPPING, _UNTRANSLATABLE, "Jekyll", shown=pattern)


def _site(config: dict[str, Any], draft: Draft, where: str) -> None:
    url = str(config.get("url") or "").strip().rstrip("/")
    baseurl = str(config.get("baseurl") or "").strip().strip("/")
    if url:
        draft.set("site", "url", url + "/" + (baseurl + "/" if baseurl else ""), f"{where}: url + baseurl")
    for key, name in (("title", "title"), ("title", "name"), ("description", "description")):
        value = config.get(name)
        if isinstance(value, str) and value.strip() and draft.get("site", key) is None:
            draft.set("site", key, " ".join(value.split()), f"{where}: {name}")
    language = config.get("lang") or config.get("locale")
    if isinstance(language, str) and language.strip():
        draft.set("site", "language", language.strip().replace("_", "-"), f"{where}: lang")
    author = config.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    draft.set_text("site", "author", author, f"{where}: author")
    if not draft.set_text("site", "timezone", config.get("timezone"), f"{where}: timezone"):
        draft.note("site", "timezone", f"{where} sets no timezone; Jekyll then uses the machine's, UTC is assumed")


def _permalink(config: dict[str, Any]) -> str:
    """The posts' permalink: front-matter defaults for posts, the posts collection's, the site's, "date"."""
    for default in config.get("defaults") or []:
        if not isinstance(default, dict):
            continue
        scope, values = default.get("scope") or {}, default.get("values") or {}
        if not isinstance(scope, dict) or not isinstance(values, dict) or "permalink" not in values:
            continue
        path = str(scope.get("path") or "").strip("/")
        kind = scope.get("type")
        if (kind in (None, "posts")) and path in ("", "_posts"):
            return str(values["permalink"])
    collections = config.get("collections")
    posts = collections.get("posts") if isinstance(collections, dict) else None
    if isinstance(posts, dict) and "permalink" in posts:
        return str(posts["permalink"])
    return str(config.get("permalink") or "date")


def _categories(path: Path) -> bool:
    meta = front_matter(path) or {}
    return bool(meta.get("categories") or meta.get("category"))


def _markdown(config: dict[str, Any], draft: Draft, where: str) -> None:
    engine = str(config.get("markdown") or "kramdown")
    if engine.lower() != "kramdown":
        draft.note("build", "markdown", f"{where} renders with {engine}, not kramdown; the jekyll preset is kramdown's")
    kramdown = config.get("kramdown")
    if not isinstance(kramdown, dict):
        return
    quotes = kramdown.get("smart_quotes")
    if quotes is not None:
        names = [part.strip() for part in (quotes.split(",") if isinstance(quotes, str) else map(str, quotes))]
        if names and all(name in ("apos", "quot") for name in names):
            draft.set("build", "smart", False, f"{where}: kramdown smart_quotes {','.join(names)} (straight)")
        elif names != ["lsquo", "rsquo", "ldquo", "rdquo"]:
            draft.note("build", "smart", f"kramdown smart_quotes {','.join(names)}: only typographic or straight exist")
    if str(kramdown.get("input") or "GFM").lower() != "gfm":
        draft.note("build", "markdown", f"kramdown input {kramdown['input']}: the jekyll preset reads GFM input")


def _exclude(config: dict[str, Any], posts: Path, source: Path, draft: Draft, where: str) -> None:
    inside = posts.relative_to(source).as_posix() + "/"
    patterns = [str(item)[len(inside) :] for item in config.get("exclude") or [] if str(item).startswith(inside)]
    if patterns:
        draft.set("build", "exclude", patterns, f"{where}: exclude")


def _variables(config: dict[str, Any], posts: list[Path], draft: Draft, where: str) -> None:
    """The site variables posts print ({{ site.repository }}), as _config.yml sets them."""
    used: set[str] = set()
    for path in posts:
        try:
            used.update(re.findall(r"\{\{-?\s*site\.(\w+)", path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    values = {
        name: config[name]
        for name in sorted(used - {"url", "baseurl"})
        if isinstance(config.get(name), str | int | float) and not isinstance(config.get(name), bool)
    }
    if values:
        draft.set("build", "site_variables", values, f"{where}: the site variables posts print")
