"""`feedpub init --from` for Eleventy: its data files and package.json (its JavaScript config cannot be run).

`.eleventy.js` / `eleventy.config.js` is a program: init never runs it, so the input folder, a
permalink set there or in a layout's JavaScript front matter, and markdown-it plugins are unknown.
What it can read: JSON and YAML data files (`_data/site.json`, `_data/metadata.json`, ...) for the
site's URL, title, description, author and language; package.json; directory data files in JSON
(`posts/posts.json`, `posts.11tydata.json`) for the posts' permalink. The posts are the folder
with the most dated files; Eleventy's default URL is the file's path under the input folder.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from feedpub.errors import ConfigError
from feedpub.init.draft import Draft
from feedpub.init.files import article_files, is_dated, load, relative
from feedpub.init.patterns import Translation, translate

__all__ = ["CONFIG_NAMES", "read_eleventy", "translate_permalink"]

CONFIG_NAMES = (".eleventy.js", "eleventy.config.js", "eleventy.config.cjs", "eleventy.config.mjs")
_DATA_NAMES = ("site", "metadata", "meta", "config", "settings")
_DATA_FOLDERS = ("_data", "src/_data", "data", "src/data")
_SKIPPED = {"node_modules", "_site", "dist", "public", "_drafts", "drafts", "_includes", "_layouts", "_data"}
# Liquid/Nunjucks in a permalink: `{{ page.fileSlug }}`, `{{ page.date | date: "%Y" }}`, ...
_TOKEN = re.compile(r"\{\{-?\s*(.+?)\s*-?\}\}")
_MAPPING = {
    "page.fileSlug": "{name}",
    "page.fileSlug | slugify": "{slug}",
    "page.fileSlug | slug": "{slug}",
    "slug": "{slug}",
    "page.date | date: '%Y'": "{year}",
    'page.date | date: "%Y"': "{year}",
    "page.date | date: '%m'": "{month}",
    'page.date | date: "%m"': "{month}",
    "page.date | date: '%d'": "{day}",
    'page.date | date: "%d"': "{day}",
}


def read_eleventy(site: Path, target: Path) -> Draft:
    """The feedpub settings matching the Eleventy site in `site`; paths relative to `target`'s folder."""
    config = next((site / name for name in CONFIG_NAMES if (site / name).is_file()), None)
    draft = Draft(generator="Eleventy", read=[config] if config else [])
    shown = config.name if config else "the Eleventy config"
    _data(site, draft)
    if (site / "src").is_dir() and any(article_files(site / "src")):
        source = site / "src"
        draft.note("build", "articles", f"the input folder is taken to be src/ ({shown} cannot be run to say)")
    else:
        source = site
    posts = _posts(source)
    if posts is None:
        raise ConfigError(site, None, "an Eleventy site, but no folder of dated posts was found under it")
    draft.set("build", "articles", relative(posts, target), "the folder with the most dated posts")
    draft.set("build", "markdown", "eleventy", "Eleventy's markdown-it")
    folder = posts.relative_to(source).as_posix()
    default = ("/" + folder if folder != "." else "") + "/{path}/"
    permalink, origin = _directory_permalink(posts, draft)
    scripts = sorted(posts.glob("*.11tydata.*js"))
    for path in scripts:
        draft.note(
            "build",
            "permalink",
            f"{path.name} is JavaScript, which init does not run; if it sets a permalink, write it here",
        )
    if permalink is not None:
        result = translate_permalink(permalink)
        if result.permalink is not None:
            draft.set("build", "permalink", result.permalink, f"{origin}: permalink {permalink}")
        else:
            draft.set("build", "permalink", default, "Eleventy's default: the path under the input folder")
        for note in result.notes:
            draft.note("build", "permalink", note)
    else:
        draft.set("build", "permalink", default, "Eleventy's default: the path under the input folder")
    if permalink is None and not scripts:
        draft.note(
            "build",
            "permalink",
            f"a permalink set in JavaScript ({shown}, a layout's front matter, a .11tydata.js file) cannot be read;"
            " if the posts' URLs are not their paths, write it here",
        )
    draft.set("site", "timezone", "UTC", "Eleventy reads dates without a zone as UTC")
    if config is not None:
        text = config.read_text(encoding="utf-8", errors="replace")
        if "setLibrary" in text or "amendLibrary" in text:
            draft.note(
                "build", "markdown", f"{shown} changes the markdown-it library; the eleventy preset is its default"
            )
    return draft


def translate_permalink(pattern: str) -> Translation:
    """An Eleventy permalink template (Liquid or Nunjucks) in feedpub's placeholders, where its tags are known."""
    return translate(pattern, _TOKEN, _MAPPING, {}, "Eleventy")


def _data(site: Path, draft: Draft) -> None:
    found: dict[str, tuple[Any, str]] = {}
    package = site / "package.json"
    candidates = [package] if package.is_file() else []
    for folder in _DATA_FOLDERS:
        for name in _DATA_NAMES:
            candidates += [site / folder / f"{name}.{ext}" for ext in ("json", "yaml", "yml")]
    for path in candidates:
        if not path.is_file():
            continue
        data = load(path)
        draft.read.append(path)
        where = path.relative_to(site).as_posix()
        for key, names in (
            ("url", ("url", "baseurl", "siteurl", "host", "homepage")),
            ("title", ("title", "name")),
            ("description", ("description", "subtitle")),
            ("author", ("author",)),
            ("language", ("language", "lang", "locale")),
        ):
            lower = {str(name).lower(): value for name, value in data.items()}
            for name in names:
                value = lower.get(name)
                if isinstance(value, dict):
                    value = value.get("name")
                if isinstance(value, str) and value.strip() and (path != package or key in ("author", "description")):
                    found[key] = (value.strip(), f"{where}: {name}")  # a data file wins over package.json
                    break
    for key, (value, why) in found.items():
        if key == "url":
            if not value.startswith(("http://", "https://")):
                continue
            value = value.rstrip("/") + "/"
        if key == "language":
            value = value.replace("_", "-")
        draft.set("site", key, value, why)
    for key in ("url", "title"):
        if key not in found:
            draft.note("site", key, "not found in _data/site.json, _data/metadata.json or the like; fill it in")


def _posts(source: Path) -> Path | None:
    counts: Counter[Path] = Counter()
    for path in article_files(source):
        if not set(path.relative_to(source).parts[:-1]) & _SKIPPED and is_dated(path):
            counts[path.parent] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def _directory_permalink(posts: Path, draft: Draft) -> tuple[str | None, str]:
    """The permalink of a directory data file in JSON beside the posts (posts/posts.json, posts.11tydata.json)."""
    for name in (f"{posts.name}.11tydata.json", f"{posts.name}.json"):
        path = posts / name
        if path.is_file():
            data = load(path)
            draft.read.append(path)
            if isinstance(data.get("permalink"), str):
                return data["permalink"], name
    return None, ""
