"""`feedpub init`: a new project, or the feedpub.toml matching an existing site's generator configuration.

`new_project` makes the files of a new project; `read_site` reads a Jekyll, Hugo, Pelican or
Eleventy site's own configuration into a Draft, `site_config` writes that as feedpub.toml text,
and `write_project` creates the files, none of them if any exists.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from feedpub.errors import ConfigError
from feedpub.init import eleventy, hugo, jekyll, pelican
from feedpub.init.draft import Draft
from feedpub.init.files import article_files, front_matter, is_dated, relative
from feedpub.init.project import Answers, check_timezone, check_url, local_timezone, new_project, write_project
from feedpub.init.toml import render
from feedpub.model import normal_key
from feedpub.read.articles import KNOWN_KEYS
from feedpub.read.frontmatter import DOCUMENT_SUFFIXES
from feedpub.xmlchars import find_forbidden

__all__ = [
    "Answers",
    "Draft",
    "check_timezone",
    "check_url",
    "detect",
    "local_timezone",
    "new_project",
    "read_site",
    "site_config",
    "write_project",
]

Reader = Callable[[Path, Path], Draft]


def detect(site: Path) -> tuple[str, Reader]:
    """Which generator the site in `site` is built with, by its configuration file."""
    if any((site / name).is_file() for name in jekyll.CONFIG_NAMES):
        return "jekyll", jekyll.read_jekyll
    if hugo.find_config(site) is not None:
        return "hugo", hugo.read_hugo
    if (site / pelican.CONFIG_NAMES[0]).is_file():
        return "pelican", pelican.read_pelican
    package = site / "package.json"
    if any((site / name).is_file() for name in eleventy.CONFIG_NAMES) or (
        package.is_file() and "@11ty/eleventy" in package.read_text(encoding="utf-8", errors="replace")
    ):
        return "eleventy", eleventy.read_eleventy
    raise ConfigError(
        site,
        None,
        "no site generator's configuration here: looked for Jekyll's _config.yml, Hugo's hugo.toml or"
        " config.toml (also .yaml, .json, config/_default/), Pelican's pelicanconf.py, Eleventy's"
        " .eleventy.js or eleventy.config.js; give the folder that holds one",
    )


def read_site(site: Path, target: Path) -> Draft:
    """What feedpub.toml in the folder `target` should say for the site in `site`."""
    if not site.is_dir():
        raise ConfigError(site, None, "is not a folder; give the folder of the site's configuration")
    _, reader = detect(site)
    draft = reader(site, target)
    # The target folder may not exist yet (`init --from SITE new-project`): the system cannot walk
    # "new-project/../site", so the path is read as text (as `relative` wrote it).
    articles = Path(os.path.normpath(target.resolve() / str(draft.get("build", "articles") or "articles")))
    _from_posts(articles, draft)
    return draft


def site_config(draft: Draft, site: Path, target: Path) -> str:
    """The feedpub.toml text for a Draft read from `site`."""
    header = [
        f"feedpub's configuration for the {draft.generator} site in {relative(site, target)},",
        "written by `feedpub init --from`, which read:",
        *(f"  {relative(path, target)}" for path in draft.read),
        "Every key is here: those set (after each, where it came from), the others commented out",
        "with their default. A line `# key: ...` under a key says what of the site's could not be",
        "said in feedpub's terms. The README's Configuration section says more.",
        *(["", *draft.remarks] if draft.remarks else []),
    ]
    return render(draft, header)


def _from_posts(articles: Path, draft: Draft) -> None:
    """What the files in the articles folder tell, each one's front matter read once: those with no
    date are pages, not posts, which a build would refuse (excluded); and the keys the posts hold
    for the site's own pages are ignored (_ignore_site_keys)."""
    if not articles.is_dir():
        return
    existing = draft.get("build", "exclude")
    patterns = [str(item) for item in existing] if isinstance(existing, list) else []
    pages = []
    posts: list[dict[str, Any]] = []
    for path in article_files(articles):
        name = path.relative_to(articles).as_posix()
        if any(fnmatch(name, pattern) or name.startswith(pattern.rstrip("/") + "/") for pattern in patterns):
            continue
        if path.name.lower() in ("_index.md", "_index.markdown"):
            continue  # a section page feedpub passes over by itself
        meta = front_matter(path)
        if is_dated(path, meta):
            posts.append(meta or {})
            continue
        if meta is not None and (meta.get("draft") is True or meta.get("published") is False):
            continue
        pages.append(name)
    # feedpub reads a .json, .yaml or .toml file as an article document; no generator here does.
    documents = sorted(
        {f"*{path.suffix.lower()}" for path in articles.rglob("*") if path.suffix.lower() in DOCUMENT_SUFFIXES}
    )
    pages += [pattern for pattern in documents if pattern not in patterns]
    if pages:
        why = "; ".join(
            filter(
                None, [draft.why.get(("build", "exclude")), "files without a date (pages, not posts) and data files"]
            )
        )
        draft.set("build", "exclude", patterns + pages, why)
    _ignore_site_keys(posts, draft)


# A key that this many posts hold, or more, is the site's own (its templates read it), not a typo.
SITE_KEY_POSTS = 3


def _ignore_site_keys(posts: list[dict[str, Any]], draft: Draft) -> None:
    """The keys feedpub does not know that SITE_KEY_POSTS posts or more hold (`bitly`, `hero`): the
    site's own, which no feed carries, set in [build] ignore_keys so that a build warns only of what
    may be a mistake (a key that fewer posts hold: `tittle`). A real blog's build printed a warning
    for each of them in each post, 2,943 in all."""
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}  # as the first post writes it (in lower case): feedpub reads either alike
    for meta in posts:
        for name in meta:
            spelled.setdefault(normal_key(str(name)), str(name))
        counts.update({normal_key(str(name)) for name in meta})
    own = sorted(
        spelled[key]
        for key, count in counts.items()
        if count >= SITE_KEY_POSTS and key not in KNOWN_KEYS and key.strip() and find_forbidden(key) is None
    )  # (a blank key, or one with a control character, is not one feedpub.toml can hold)
    if own:
        why = f"keys that {SITE_KEY_POSTS} posts or more hold for the site's own pages; feeds do not carry them"
        draft.set("build", "ignore_keys", own, why)
