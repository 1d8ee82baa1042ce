"""New articles: `feedpub new` (a front-matter template) and `feedpub import` (newsroom texts).

Both only ever create files: an article that exists is never overwritten, whatever the race.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from feedpub.config import SiteConfig
from feedpub.errors import ContentError, LineError, Problem
from feedpub.output import create_file
from feedpub.read.articles import slugify
from feedpub.read.fields import FORBIDDEN, SURROGATE, find_forbidden
from feedpub.read.newsroom import parse_story, story_markdown
from feedpub.read.sources import decode

__all__ = ["ImportResult", "import_stories", "new_article"]

_LINE_END = re.compile(r"\r\n?|\n")

_TEMPLATE = """\
---
{front}---
Write the article here, in Markdown. The first paragraph is the summary unless you give one
in the front matter, or end the summary with a line <!--more-->.

Remove `draft: true` above when it is ready to publish.
"""


def new_article(config: SiteConfig, title: str, now: datetime) -> Path:
    """Create `<articles>/<slug>.md`, a draft dated `now` in the site's time zone; never overwrites."""
    title = " ".join(title.split())
    if not title:
        raise ContentError([Problem(config.articles, None, "the title is empty; give one")], "nothing was written")
    front: dict[str, object] = {"title": title, "date": now.astimezone(config.timezone).isoformat()}
    if config.author:
        front["author"] = config.author
    front.update({"tags": [], "draft": True})
    text = _TEMPLATE.format(front=_yaml(front))
    path = config.articles / f"{slugify(title)}.md"
    if not create_file(path, text.encode("utf-8")):
        raise ContentError([_exists(path, "feedpub new")], "nothing was written")
    return path


@dataclass(frozen=True, slots=True)
class ImportResult:
    written: tuple[Path, ...]
    problems: tuple[Problem, ...]  # errors (those files were not imported) and warnings


def import_stories(
    config: SiteConfig,
    inputs: Sequence[Path | tuple[str, str]],
    *,
    date: datetime | None = None,
    authors: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> ImportResult:
    """Turn newsroom texts into articles under the articles folder, one new file each.

    An input is a file's path, or (name, text) for text from elsewhere (standard input). Without
    `date`, a file's modification time is used (with a warning), and "now" for other text.
    """
    written: list[Path] = []
    problems: list[Problem] = []
    for item in inputs:
        origin, text, when = _read(item, date, config, problems)
        if text is None or when is None:
            continue
        text = _without_forbidden(origin, text, problems)
        if text is None:
            continue
        try:
            story = parse_story(text)
        except LineError as error:
            problems.append(Problem(origin, error.line, error.message))
            continue
        problems.extend(Problem(origin, line, message, "warning") for line, message in story.warnings)
        markdown = story_markdown(story, date=when.astimezone(config.timezone), authors=authors, tags=tags)
        target = config.articles / f"{slugify(story.headline)}.md"
        if create_file(target, markdown.encode("utf-8")):
            written.append(target)
        else:
            problems.append(_exists(target, "feedpub import", origin))
    return ImportResult(tuple(written), tuple(problems))


def _without_forbidden(origin: Path, text: str, problems: list[Problem]) -> str | None:
    """The text without characters XML forbids (with a warning), or None (with an error) when it
    holds a lone surrogate, which only undecodable input can make."""
    surrogate = SURROGATE.search(text)
    if surrogate is not None:
        problems.append(Problem(origin, _line_at(text, surrogate.start()), "is not UTF-8 text; save it as UTF-8"))
        return None
    first = find_forbidden(text)
    if first is None:
        return text
    codes = ", ".join(sorted({f"U+{ord(char):04X}" for char in FORBIDDEN.findall(text)}))
    message = f"holds control characters XML forbids ({codes}), from this line on; they were removed"
    problems.append(Problem(origin, _line_at(text, first.start()), message, "warning"))
    return FORBIDDEN.sub("", text)


def _line_at(text: str, offset: int) -> int:
    return len(_LINE_END.findall(text, 0, offset)) + 1


def _read(
    item: Path | tuple[str, str], date: datetime | None, config: SiteConfig, problems: list[Problem]
) -> tuple[Path, str | None, datetime | None]:
    if isinstance(item, tuple):
        origin, text = Path(item[0]), item[1]
        when = date or datetime.now(config.timezone).replace(microsecond=0)
        if date is None:
            problems.append(Problem(origin, None, "no --date given; dated now", "warning"))
        return origin, text, when
    try:
        data = item.read_bytes()
        when = date or datetime.fromtimestamp(int(item.stat().st_mtime), config.timezone)
    except OSError as error:
        problems.append(Problem(item, None, f"could not be read: {error.strerror}"))
        return item, None, None
    decoded, problem = decode(item, data)
    if decoded is None:
        problems.extend([problem] if problem else [])
        return item, None, None
    if date is None:
        problems.append(
            Problem(item, None, f"no --date given; dated by the file's time, {when.isoformat()}", "warning")
        )
    return item, decoded, when


def _exists(path: Path, command: str, origin: Path | None = None) -> Problem:
    source = f" (from {origin})" if origin is not None else ""
    message = f"already exists{source}; {command} never overwrites an article: rename or move the existing one"
    return Problem(path, None, message)


def _yaml(data: dict[str, object]) -> str:
    dumped: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=None)
    return dumped
