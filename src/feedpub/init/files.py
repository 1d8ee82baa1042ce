"""Reading a site generator's files for `feedpub init --from`: its config (YAML, TOML, JSON) and its posts.

The only module of the init package that imports PyYAML. Every syntax error is a ConfigError at
the file and line the parser names.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from feedpub.errors import ConfigError, LineError
from feedpub.read.frontmatter import split

__all__ = ["article_files", "front_matter", "is_dated", "load", "relative"]

ARTICLE_SUFFIXES = (".md", ".markdown", ".html", ".htm")
_DATE_NAME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[-_]")


def load(path: Path) -> dict[str, Any]:
    """A YAML, TOML or JSON file's top-level mapping (by its extension); {} for an empty file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, None, f"could not be read: {error}") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data: object = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text) if text.strip() else {}
        else:
            data = yaml.safe_load(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        raise ConfigError(path, int(match[1]) if match else None, f"not valid TOML: {error}") from None
    except json.JSONDecodeError as error:
        raise ConfigError(path, error.lineno, f"not valid JSON: {error.msg}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(path, line, f"not valid YAML: {getattr(error, 'problem', None) or error}") from None
    except RecursionError:  # each of the three readers recurses once a level
        raise ConfigError(
            path, None, "nests lists or mappings hundreds of levels deep, deeper than feedpub can read; flatten it"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(path, None, f"holds a {type(data).__name__}, not the mapping of settings a config is")
    return data


def article_files(folder: Path) -> Iterator[Path]:
    """The Markdown and HTML files under `folder`, hidden ones and node_modules left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith(".") and name != "node_modules")
        for name in sorted(files):
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


def front_matter(path: Path) -> dict[str, Any] | None:
    """A post's front matter (keys in lower case), or None when it has none or it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
        meta = split(text, path.suffix.lower()).meta
    except (OSError, UnicodeDecodeError, LineError):
        return None
    return {str(key).lower(): value for key, value in meta.items()}


def is_dated(path: Path, meta: dict[str, Any] | None = None) -> bool:
    """Whether a file is a dated post: a date in its name (Jekyll, Eleventy) or in its front matter
    (`meta`, when it has been read already)."""
    if _DATE_NAME.match(path.name):
        return True
    meta = meta if meta is not None else front_matter(path)
    return meta is not None and any(meta.get(key) for key in ("date", "publishdate", "pubdate"))


def relative(target: Path, base: Path) -> str:
    """`target` as a path relative to the folder `base` (with "/"), as feedpub.toml holds paths."""
    text = os.path.relpath(target.resolve(), base.resolve())
    return PurePosixPath(Path(text).as_posix()).as_posix()
