"""Plain-text newsroom articles into Markdown articles with front matter; pure.

The layout, as wire services and newsroom systems export it:

    City library opens its archive as web feeds          <- the headline: first non-blank line

    The city library now publishes every notice as       <- the standfirst: the next paragraph,
    RSS and Atom feeds.                                     which becomes the summary

    Key Points                                           <- optional: "Key points", "Highlights",
    • • Every notice since 1998 is in a feed.               "Key takeaways"; bullet lines (•, -, *,
    • • Readers can follow single subjects.                 dashes, ·, possibly repeated or indented)

    The library's team switched on the feeds ...         <- the body, paragraph by paragraph

A bullet item may wrap onto lines without a bullet. Typographic quotes and dashes are kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import yaml

from feedpub.errors import LineError

__all__ = ["Story", "escape_markdown", "parse_story", "story_markdown"]

KEY_POINTS_HEADINGS = ("key points", "highlights", "key takeaways")
LONG_HEADLINE = 200  # characters; longer than any headline a newsroom writes

_HEADING = re.compile(rf"\s*({'|'.join(KEY_POINTS_HEADINGS)})\s*:?\s*", re.IGNORECASE)
_BULLET = re.compile(r"\s*(?:[•\-*\u2013\u2014·▪◦‣]\s*)+(?=\S)")


@dataclass(frozen=True, slots=True)
class Story:
    headline: str
    standfirst: str | None
    key_points: tuple[str, ...]
    paragraphs: tuple[str, ...]
    warnings: tuple[tuple[int, str], ...] = ()  # (line, message)


def parse_story(text: str) -> Story:
    """A newsroom text (line ends already "\\n") as its parts; LineError when it has no headline."""
    blocks = _blocks(text.removeprefix("\ufeff"))
    if not blocks:
        raise LineError(1, "is empty; a newsroom article starts with its headline on the first line")
    warnings: list[tuple[int, str]] = []
    first_line, lines = blocks.pop(0)
    headline = _join(lines[:1])
    rest = lines[1:]
    if rest:  # the standfirst follows the headline without a blank line between them
        blocks.insert(0, (first_line + 1, rest))
    if len(headline) > LONG_HEADLINE:
        warnings.append((first_line, f"the headline is {len(headline)} characters long; is it a paragraph?"))
    standfirst = None
    if blocks and not _HEADING.fullmatch(blocks[0][1][0]):
        standfirst = _join(blocks.pop(0)[1])
    key_points: list[str] = []
    if blocks and _HEADING.fullmatch(blocks[0][1][0]):
        line, heading_lines = blocks.pop(0)
        bullets = heading_lines[1:]
        if not bullets and blocks and _BULLET.match(blocks[0][1][0]):
            line, bullets = blocks.pop(0)
        key_points = _bullets(bullets)
        if not key_points:
            warnings.append((line, "a key points heading with no bullet lines under it; it was left out"))
    paragraphs = tuple(_join(lines) for _, lines in blocks)
    return Story(headline, standfirst, tuple(key_points), paragraphs, tuple(warnings))


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                blocks.append((number, current))
            current.append(line)
        else:
            current = []
    return blocks


def _join(lines: list[str]) -> str:
    """Lines of a paragraph as one line; blanks (incl. no-break spaces) inside lines are kept."""
    return " ".join(line.strip() for line in lines)


def _bullets(lines: list[str]) -> list[str]:
    points: list[list[str]] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            points.append([line[bullet.end() :]])
        elif points:
            points[-1].append(line)  # a wrapped item goes on without a bullet
        else:
            points.append([line])
    return [_join(point) for point in points]


# Characters Markdown (with "extra") would read as markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]{}])")
# What makes a line start a heading, quote, list, table or rule.
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE.sub(r"\\\1", text)
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        match = _LINE_START.match(line)
        if match:
            lead = match[2]
            line = (f"{lead}\\" + line[len(lead) :]) if lead[0].isdigit() else "\\" + line
        lines.append(line)
    return "\n".join(lines)


def story_markdown(story: Story, *, date: datetime, authors: Sequence[str] = (), tags: Sequence[str] = ()) -> str:
    """The whole article file: YAML front matter, then the body's paragraphs as Markdown."""
    front: dict[str, object] = {"title": story.headline, "date": date.isoformat()}
    names = [name for name in authors if name.strip()]
    if len(names) == 1:
        front["author"] = names[0]
    elif names:
        front["author"] = names
    if tags:
        front["tags"] = list(tags)
    if story.standfirst:
        front["summary"] = escape_markdown(story.standfirst)
    if story.key_points:
        front["key_points"] = [escape_markdown(point) for point in story.key_points]
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False)
    body = "\n\n".join(escape_markdown(paragraph) for paragraph in story.paragraphs)
    return f"---\n{dumped}---\n{body}\n" if body else f"---\n{dumped}---\n"
