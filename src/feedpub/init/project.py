"""A new project (`feedpub init`) and the writing of init's files, which never overwrites anything."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from feedpub.config import CONFIG_FILE
from feedpub.errors import ContentError, Problem, UsageError
from feedpub.init.draft import Draft
from feedpub.init.toml import render
from feedpub.model import url_error
from feedpub.output import create_file

__all__ = ["Answers", "check_timezone", "check_url", "local_timezone", "new_project", "write_project"]

SAMPLE = "articles/welcome.md"
_SAMPLE_TEXT = """\
---
title: Welcome to {title}
date: {date}
tags: [feeds]
---
This is the first article of {title}, and the first paragraph of it is its summary in the
feeds. Write the next one with `feedpub new "Its title"`, or put any Markdown file with a title
and a date under `articles/`, then run `feedpub build`.

The feeds are in `feeds/`: `rss.xml`, `atom.xml` and `feed.json`. Publish that folder at
{feeds_url} and tell browsers about it with `<link rel="alternate">` tags.
"""
_GITIGNORE = """\
# feedpub's output and its build cache (feedpub-ids.txt, the id ledger, is to be committed)
/feeds/
/.feedpub-cache/
"""


@dataclass(frozen=True, slots=True)
class Answers:
    """What `feedpub init` asks (or takes as options)."""

    title: str
    url: str
    author: str | None = None
    timezone: str = "UTC"


def check_url(value: str) -> str:
    """An absolute http(s) URL, with a final "/"; UsageError otherwise."""
    unreadable = url_error(value.strip())
    parts = urlsplit(value.strip()) if unreadable is None else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise UsageError(f'"{value}" is not the absolute http(s) URL of a site; write it like "https://example.org/"')
    text = value.strip()
    return text if text.endswith("/") else text + "/"


def check_timezone(value: str) -> str:
    """An IANA time zone name; UsageError otherwise."""
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f'"{value}" is not an IANA time zone; write one like "Europe/Berlin", "America/New_York" or "UTC"'
        ) from None
    return value.strip()


def local_timezone() -> str:
    """This machine's IANA zone when it can be told (TZ, or /etc/localtime's link), else "UTC"."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(str(Path("/etc/localtime").readlink()).split("zoneinfo/", 1)[-1])
    for name in candidates:
        if "/" in name or name == "UTC":  # "CET", "EST5EDT" exist too, but say less than a city's name
            try:
                return check_timezone(name)
            except UsageError:
                continue
    return "UTC"


def new_project(answers: Answers, now: datetime) -> dict[str, str]:
    """The files of a new project, relative name -> text: feedpub.toml, a sample article, .gitignore."""
    draft = Draft(generator="feedpub init")
    draft.set("site", "title", answers.title)
    draft.set("site", "url", answers.url)
    if answers.author:
        draft.set("site", "author", answers.author)
    draft.set("site", "timezone", answers.timezone)
    header = [
        "feedpub's configuration, written by `feedpub init`. Every key is here: those set, and the",
        "others commented out with their default. The README's Configuration section says more.",
    ]
    local = now.astimezone(ZoneInfo(answers.timezone))
    sample = _SAMPLE_TEXT.format(
        title=answers.title, date=local.strftime("%Y-%m-%d %H:%M"), feeds_url=answers.url + "feeds/"
    )
    return {CONFIG_FILE: render(draft, header), SAMPLE: sample, ".gitignore": _GITIGNORE}


def write_project(directory: Path, files: Mapping[str, str]) -> list[Path]:
    """Create every file under `directory`; if any of them exists, none is written (ContentError naming each)."""
    targets = [(directory / name, text) for name, text in files.items()]
    existing = [path for path, _ in targets if path.exists() or path.is_symlink()]
    if existing:
        raise ContentError([_exists(path) for path in existing], "nothing was written")
    written: list[Path] = []
    for path, text in targets:
        if not create_file(path, text.encode("utf-8")):  # created since the check, by someone else
            raise ContentError([_exists(path)], "the files before it were written: " + _names(written))
        written.append(path)
    return written


def _exists(path: Path) -> Problem:
    return Problem(path, None, "exists already; feedpub init never overwrites a file (move it away, or init elsewhere)")


def _names(paths: list[Path]) -> str:
    return ", ".join(str(path) for path in paths) or "none"
