"""Links written as paths of the site's own files, resolved to the URLs the site serves them at.

Pelican writes intra-site links as `{filename}path` (an article, or any file under the content
folder), `{static}path` (a static file) and `{attach}path` (a file published beside the
article), also as `|filename|path`; a path starting with `/` is relative to the content folder
(feedpub's articles folder), any other to the linking article's folder. Jekyll's `{% link %}`
and `{% post_url %}` and Hugo's `ref` and `relref` name articles by path too (see
`templates.py`): `SiteIndex.find` answers all of them. Jekyll's `{% link %}` also names the site's
other pages and collection documents, by their path from the Jekyll source folder (the one with
`_config.yml`): `SiteIndex.find_page` gives the URL such a file's front matter `permalink` sets.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import unquote, urljoin

from feedpub.errors import LineError
from feedpub.model import Article
from feedpub.read.frontmatter import split

__all__ = ["Linked", "SiteIndex"]

_PELICAN = re.compile(r"(?:\{(filename|static|attach)\}|\|(filename|static|attach)\|)(.*)", re.S)
_DATE_PREFIX = re.compile(r"\d{4}-\d{1,2}-\d{1,2}-")  # a Jekyll post's file name
_JEKYLL_CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")


class Linked(Protocol):
    """What the index needs of an article: an Article, or the build cache's head of one."""

    @property
    def path(self) -> Path | str: ...
    @property
    def url(self) -> str: ...


class SiteIndex:
    """Every article of a site by its path under the articles folder, and the folder's other files."""

    def __init__(self, site_url: str, root: Path, articles: Iterable[Linked]) -> None:
        self.site_url = site_url
        self.root = root
        # (a sequence is kept as it is: a build's heads make a Head each only when they are gone through)
        self._articles = articles if isinstance(articles, Sequence) else tuple(articles)
        self._maps: tuple[dict[str, str], dict[str, str]] | None = None  # made at the first look-up
        self.consulted: list[Path] = []  # the files look-ups read or checked, in order (for the build cache)
        # The articles looked up, in order: (0: by path, 1: by name; the key; the URL found or None), so that
        # the build cache can tell whether a render still holds for another set of articles (`answers`).
        self.looked_up: list[tuple[int, str, str | None]] = []

    def _by(self) -> tuple[dict[str, str], dict[str, str]]:
        """Each article's URL by its path (with and without extension; a bundle's folder) and by its name."""
        if self._maps is None:
            by_path: dict[str, str] = {}
            by_name: dict[str, str] = {}
            for article in self._articles:
                relative = self.relative(article.path)
                by_path[relative] = article.url
                by_path[str(PurePosixPath(relative).with_suffix(""))] = article.url
                stem = PurePosixPath(relative)
                if stem.stem.lower() in ("index", "_index") and len(stem.parts) > 1:  # a bundle: by its folder too
                    by_path[str(stem.parent)] = article.url
                by_name.setdefault(stem.stem, article.url)
            self._maps = by_path, by_name
        return self._maps

    def ready(self) -> None:
        """Make the look-up maps now (before worker processes fork, say), not at the first look-up."""
        self._by()

    def _get(self, which: int, key: str) -> str | None:
        url = self._by()[which].get(key)
        self.looked_up.append((which, key, url))
        return url

    def answers(self, looked_up: Sequence[tuple[int, str, str | None]]) -> bool:
        """Whether these look-ups (another build's `looked_up`) find what they found then."""
        if not looked_up:
            return True
        maps = self._by()
        return all(maps[which].get(key) == url for which, key, url in looked_up)

    def relative(self, path: Path | str) -> str:
        text, prefix = os.fspath(path), os.fspath(self.root) + os.sep
        if text.startswith(prefix):  # the commonest case, without making Path values (10,000 of them cost)
            return text[len(prefix) :].replace(os.sep, "/")
        path = Path(path)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name

    def find(self, written: str, from_article: Article | None = None) -> str | None:
        """The URL of the article a path names (with or without its extension, from the articles folder
        or from the linking article's folder), or None."""
        path, fragment = _split_fragment(written)
        for candidate in self._candidates(path, from_article):
            url = self._get(0, candidate) or self._get(0, candidate.removeprefix("_posts/"))
            if url is not None:
                return url + fragment
        return None

    def find_post(self, name: str) -> str | None:
        """Jekyll's `post_url`: a post by its file name without extension (`2010-07-21-name`, `sub/2010-07-21-name`)."""
        stem = PurePosixPath(name.strip()).name
        return self._get(1, stem) if _DATE_PREFIX.match(stem) else None

    def find_page(self, written: str) -> str | None:
        """Jekyll's `{% link path %}` to a page or collection document that is no article: the absolute URL of
        its front matter `permalink`, the path taken from the Jekyll source folder; None when there is none."""
        source = self._jekyll_source
        path, fragment = _split_fragment(written.strip().strip("\"'"))
        if source is None or not path or PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts:
            return None
        self.consulted.append(source / path)
        try:
            permalink = split((source / path).read_text(encoding="utf-8"), (source / path).suffix).meta.get("permalink")
        except (OSError, UnicodeDecodeError, LineError):
            return None
        if not isinstance(permalink, str) or not permalink.startswith("/") or ":" in permalink:
            return None  # a permalink with placeholders needs the page's data; not followed
        return urljoin(self.site_url, permalink.lstrip("/")) + fragment

    @cached_property
    def _jekyll_source(self) -> Path | None:
        """The Jekyll source folder: the articles folder or the nearest folder above it with a _config file."""
        for folder in (self.root, *self.root.parents):
            if any((folder / name).is_file() for name in _JEKYLL_CONFIGS):
                return folder
        return None

    def local_size(self, url: str, article: Article) -> int | None:
        """The size of the file an absolute URL of the site names, when it is one of the articles folder's
        (beside the article, as a page bundle's files are, or from the folder's top); None otherwise."""
        candidates = []
        if url.startswith(article.url):
            candidates.append(Path(article.path).parent / unquote(url[len(article.url) :]))
        if url.startswith(self.site_url):
            candidates.append(self.root / unquote(url[len(self.site_url) :]))
        for candidate in candidates:
            self.consulted.append(candidate)
            try:
                if candidate.is_file() and self.root.resolve() in candidate.resolve().parents:
                    return candidate.stat().st_size
            except OSError:
                continue
        return None

    def pelican(self, value: str, article: Article) -> tuple[str | None, bool]:
        """A Pelican link's URL: (None, True) when `value` is no such link; (value, False) when it names nothing."""
        match = _PELICAN.fullmatch(value.strip())
        if match is None:
            return None, True
        kind = match[1] or match[2]
        path, fragment = _split_fragment(match[3])
        if kind == "attach":
            return urljoin(article.url, PurePosixPath(path).name) + fragment, True
        if kind == "filename":
            found = self.find(path, article)
            if found is not None:
                return found + fragment, True
        relative = self._resolve(path, article)
        if relative is not None:
            self.consulted.append(self.root / relative)
        exists = relative is not None and (self.root / relative).is_file()
        if relative is not None and (exists or kind == "static"):  # Pelican links a static file even if missing
            return urljoin(self.site_url, relative) + fragment, exists
        return value, False

    def _candidates(self, path: str, from_article: Article | None) -> list[str]:
        path = path.strip().strip('"')
        found = []
        resolved = self._resolve(path, from_article) if from_article is not None else None
        if resolved is not None:
            found.append(resolved)
        found.append(path.lstrip("/").removeprefix("content/"))
        return [candidate.rstrip("/") for candidate in found if candidate]

    def _resolve(self, path: str, article: Article | None) -> str | None:
        """`path` from the articles folder: as written when it starts with `/`, else from the article's folder."""
        if path.startswith("/"):
            parts = PurePosixPath(path.lstrip("/")).parts
        else:
            folder = PurePosixPath(self.relative(article.path)).parent if article is not None else PurePosixPath()
            parts = (folder / path).parts
        resolved: list[str] = []
        for part in parts:
            if part == "..":
                if not resolved:
                    return None
                resolved.pop()
            elif part not in (".", ""):
                resolved.append(part)
        return "/".join(resolved) or None


def _split_fragment(path: str) -> tuple[str, str]:
    """`post.md#part` → (`post.md`, `#part`); a query is kept with the fragment."""
    match = re.search(r"[#?]", path)
    return (path[: match.start()], path[match.start() :]) if match else (path, "")
