"""`feedpub init --from` for Hugo: hugo.toml|yaml|json or config.*, also under config/_default/."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

from feedpub.errors import ConfigError
from feedpub.init.draft import Draft
from feedpub.init.files import article_files, is_dated, load, relative
from feedpub.init.patterns import Translation, translate

__all__ = ["CONFIG_NAMES", "read_hugo", "translate_permalink"]

CONFIG_NAMES = tuple(f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json"))
_TOKEN = re.compile(r":([a-z]+)")
_UNTRANSLATABLE = {
    "monthname": "the month's name",
    "weekday": "the day of the week",
    "weekdayname": "the day of the week",
    "yearday": "the day of the year",
}


def find_config(site: Path) -> Path | None:
    for folder in (site, site / "config" / "_default"):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def read_hugo(site: Path, target: Path) -> Draft:
    """The feedpub settings matching the Hugo site in `site`; paths relative to `target`'s folder."""
    main = find_config(site)
    if main is None:
        raise ConfigError(site / CONFIG_NAMES[0], None, "no Hugo configuration found (hugo.toml, config.toml, ...)")
    config = _lower(load(main))
    draft = Draft(generator="Hugo", read=[main])
    folder = site / "config" / "_default"
    if folder.is_dir():  # config/_default/params.toml holds [params], and so on
        for path in sorted(folder.iterdir()):
            stem = path.stem.lower()
            if (
                path != main
                and path.suffix.lower() in (".toml", ".yaml", ".yml", ".json")
                and stem not in ("hugo", "config")
            ):
                config.setdefault(stem, {}).update(_lower(load(path)))
                draft.read.append(path)
    where = main.relative_to(site).as_posix()
    _site(config, draft, where)
    content = _content_dir(site, config, draft, where)
    section = _section(content, config)
    articles = content / section if section else content
    why = f"the section '{section}' holds the posts" if section else "the posts are in several sections"
    draft.set("build", "articles", relative(articles, target), why)
    draft.set("build", "markdown", "hugo", "Hugo's Goldmark")
    pattern = _permalinks(config, section)
    if pattern is not None:
        result = translate_permalink(pattern, section)
        if result.permalink is not None:
            draft.set("build", "permalink", result.permalink, f"{where}: permalinks {section or '/'} = {pattern}")
        for note in result.notes:
            draft.note("build", "permalink", note)
        if ":title" in pattern or ":slug" in pattern:
            draft.set("build", "slug_from", "title", "Hugo's :title (and :slug without a slug) is the title")
    else:
        ugly = ".html" if config.get("uglyurls") is True else "/"
        prefix = f"/{section}" if section else ""
        draft.set("build", "permalink", f"{prefix}/{{path}}{ugly}", "Hugo's default: the path under the section")
    if not config.get("disablepathtolower"):
        draft.set("build", "lowercase_urls", True, "Hugo writes URLs in lower case (disablePathToLower = false)")
    _goldmark(config, draft, where)
    return draft


def translate_permalink(pattern: str, section: str) -> Translation:
    """Hugo's permalink pattern for the posts of `section` in feedpub's placeholders."""
    mapping = {
        "year": "{year}",
        "month": "{month}",
        "day": "{day}",
        "section": section,
        "sections": section,
        "slug": "{slug}",
        "title": "{slug}",
        "filename": "{name}",
        "contentbasename": "{name}",
        "slugorfilename": "{name}",
        "slugorcontentbasename": "{name}",
        "contentbasenameorslug": "{name}",
    }
    return translate(pattern, _TOKEN, mapping, _UNTRANSLATABLE, "Hugo")


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    """A table of the config, {} when it is missing or not a table."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _lower(data: dict[str, Any]) -> dict[str, Any]:
    """Hugo's keys are case-insensitive: every key in lower case, at every level."""
    return {str(key).lower(): _lower(value) if isinstance(value, dict) else value for key, value in data.items()}


def _site(config: dict[str, Any], draft: Draft, where: str) -> None:
    params = _table(config, "params")
    url = config.get("baseurl")
    if isinstance(url, str) and url.strip():
        draft.set("site", "url", url.strip().rstrip("/") + "/", f"{where}: baseURL")
    draft.set_text("site", "title", config.get("title"), f"{where}: title")
    description = params.get("description")
    if isinstance(description, str) and description.strip():
        draft.set("site", "description", " ".join(description.split()), f"{where}: params.description")
    language = config.get("languagecode") or config.get("defaultcontentlanguage")
    if isinstance(language, str) and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*", language):
        draft.set("site", "language", language.replace("_", "-"), f"{where}: languageCode")
    author = params.get("author", config.get("author"))
    if isinstance(author, dict):
        author = author.get("name")
    draft.set_text("site", "author", author, f"{where}: params.author")
    if not draft.set_text("site", "timezone", config.get("timezone"), f"{where}: timeZone"):
        draft.set("site", "timezone", "UTC", "Hugo's default (the site sets no timeZone)")


def _content_dir(site: Path, config: dict[str, Any], draft: Draft, where: str) -> Path:
    """The content folder of the default language: contentDir, a module mount, or content/<language>."""
    language = str(config.get("defaultcontentlanguage") or "en").lower()
    languages = _table(config, "languages")
    own = languages.get(language)
    if isinstance(own, dict) and isinstance(own.get("contentdir"), str):
        return site / str(own["contentdir"])
    module = _table(config, "module")
    for mount in module.get("mounts") or []:
        if (
            isinstance(mount, dict)
            and str(mount.get("target", "")).strip("/") == "content"
            and not mount.get("lang")
            and not mount.get("sites")
            and isinstance(mount.get("source"), str)
        ):
            return site / str(mount["source"])
    content = site / str(config.get("contentdir") or "content")
    if languages and (content / language).is_dir() and not any(content.glob("*.md")):
        draft.note("build", "articles", f"content/{language}: the default language's content (Hugo mounts it so here)")
        return content / language
    return content


def _section(content: Path, config: dict[str, Any]) -> str:
    """The section holding the posts: params.mainSections when it names one, else the one with most dated
    pages when it has more than half of them; "" when the posts are spread over several."""
    params = _table(config, "params")
    main = params.get("mainsections")
    if isinstance(main, str):
        main = [main]
    if isinstance(main, list) and len(main) == 1 and (content / str(main[0])).is_dir():
        return str(main[0])
    counts: Counter[str] = Counter()
    for path in article_files(content):
        parts = PurePosixPath(path.relative_to(content).as_posix()).parts
        if len(parts) > 1 and path.suffix.lower() in (".md", ".markdown") and is_dated(path):
            counts[parts[0]] += 1
    if not counts:
        return ""
    name, most = counts.most_common(1)[0]
    return name if most * 2 > sum(counts.values()) else ""


def _permalinks(config: dict[str, Any], section: str) -> str | None:
    """The permalink Hugo gives the section's pages: [permalinks.page] (Hugo 0.120+) or [permalinks]."""
    permalinks = config.get("permalinks")
    if not isinstance(permalinks, dict):
        return None
    page = permalinks.get("page")
    for table in (page if isinstance(page, dict) else {}, permalinks):
        for name in (section or "/", section):
            value = table.get(name.lower())
            if isinstance(value, str):
                return value
    return None


def _goldmark(config: dict[str, Any], draft: Draft, where: str) -> None:
    markup = _table(config, "markup")
    handler = str(markup.get("defaultmarkdownhandler") or "goldmark").lower()
    if handler != "goldmark":
        draft.note("build", "markdown", f"{where} renders Markdown with {handler}; the hugo preset is Goldmark's")
    goldmark = _table(markup, "goldmark")
    renderer = _table(goldmark, "renderer")
    extensions = _table(goldmark, "extensions")
    if renderer.get("unsafe") is True:
        draft.set("build", "raw_html", True, f"{where}: markup.goldmark.renderer.unsafe = true")
    typographer = extensions.get("typographer")
    if isinstance(typographer, dict):  # Hugo 0.112+: a table of settings, `disable` among them
        typographer = not typographer.get("disable", False)
    if typographer is False:
        draft.set("build", "smart", False, f"{where}: markup.goldmark.extensions.typographer off")
    if extensions.get("linkify") is False:
        draft.set("build", "linkify", False, f"{where}: markup.goldmark.extensions.linkify = false")
