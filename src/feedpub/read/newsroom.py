"""Plain-text newsroom articles into Markdown articles with front matter; pure.

The layout, as wire services and newsroom systems export it:

    City library opens its archive as web feeds          <- the headline: the first non-blank line

    The city library now publishes every notice as       <- the standfirst: the next paragraph
    RSS and Atom feeds.                                     (lines up to a blank line): the summary

    Key Points                                           <- optional: also "Highlights", "Key
    • • Every notice since 1998 is in a feed.               takeaways", any case, a colon or not;
    • • Readers can follow single subjects, and             lines starting with bullets (•, -, *,
        whole authors.                                      ·, en or em dashes; repeated, indented)
                                                            that may wrap onto lines without one
    The library's team switched on the feeds ...         <- the body, paragraph by paragraph

The standfirst may follow the headline without a blank line, and the bullets their heading.
Lines inside a paragraph are joined with one space; their characters (typographic quotes and
dashes, tabs, no-break spaces) are kept. A BOM and CRLF or CR line ends are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import yaml

from feedpub.errors import LineError
from feedpub.read.frontmatter import normalize

__all__ = ["Story", "escape_markdown", "parse_story", "story_markdown"]

LONG_HEADLINE = 300  # characters: far beyond any headline, so most likely a paragraph
PROSE_WORDS = 25  # a "headline" ending in a full stop with more words than this reads as prose

_HEADING = re.compile(r"\s*(?:key\s+points|highlights|key\s+takeaways)\s*:?\s*", re.IGNORECASE)
# Round bullets may touch their text ("•Every"); dashes and stars need a blank, so "-5 °C" is no bullet.
_BULLET = re.compile(r"\s*(?:(?:[•·▪◦‣]|[-*\u2013\u2014](?=\s))\s*)+(?=\S)")

Block = tuple[int, list[str]]  # the number of its first line, its lines


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, but a string holding U+0085 is double-quoted, where it is written `\\N`."""


# In the single quotes PyYAML picks for it, U+0085 (NEL) reads back as a line break, folded to a space.
def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if "\x85" in value else None)


_Dumper.add_representer(str, _represent_str)


@dataclass(frozen=True, slots=True)
class Story:
    """A newsroom article's parts, each paragraph on one line, and what looked wrong in it."""

    headline: str
    standfirst: str | None
    key_points: tuple[str, ...]
    paragraphs: tuple[str, ...]
    warnings: tuple[tuple[int, str], ...] = ()  # (line, message)


def parse_story(text: str) -> Story:
    """A newsroom text as its parts. LineError when it holds nothing but blanks.

    A headline alone is a story (a wire flash): no summary, no body, no warning here (the build
    warns that its item has no text).
    """
    blocks = _blocks(normalize(text))
    if not blocks:
        raise LineError(
            1,
            "is empty; a newsroom article starts with its headline on the first line, "
            "then a blank line, the standfirst and the text",
        )
    line, lines = blocks.pop(0)
    headline = lines[0].strip()
    if lines[1:]:
        blocks.insert(0, (line + 1, lines[1:]))
    warnings = _headline_warnings(headline, line)
    standfirst = None
    if blocks and not _HEADING.fullmatch(blocks[0][1][0]):
        standfirst = _join(blocks.pop(0)[1])
    key_points: list[str] = []
    if blocks and _HEADING.fullmatch(blocks[0][1][0]):
        line, lines = blocks.pop(0)
        key_points = _key_points(lines[1:], blocks)
        if not key_points:
            warnings.append((line, f"the heading '{lines[0].strip()}' has no bullet lines under it; it was left out"))
    paragraphs = tuple(_join(lines) for _, lines in blocks)
    return Story(headline, standfirst, tuple(key_points), paragraphs, tuple(warnings))


def _blocks(text: str) -> list[Block]:
    """Runs of non-blank lines; a line of spaces, tabs or no-break spaces is blank."""
    blocks: list[Block] = []
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
    return " ".join(line.strip() for line in lines)


def _headline_warnings(headline: str, line: int) -> list[tuple[int, str]]:
    fix = "if the first line is a paragraph, put the headline on a line of its own above it"
    if len(headline) > LONG_HEADLINE:
        return [(line, f"the headline is {len(headline):,} characters long; {fix}")]
    words = len(headline.split())
    if headline.endswith(".") and words > PROSE_WORDS:
        return [(line, f"the headline is a sentence of {words} words; {fix}")]
    return []


def _key_points(lines: list[str], blocks: list[Block]) -> list[str]:
    """The points under a key points heading; takes from `blocks` the bullets after blank lines.

    Bullets after a blank line go on only with the same marker as the first one, so a body
    paragraph opening with a dash of dialogue is not taken for a point.
    """
    if not lines and blocks and _BULLET.match(blocks[0][1][0]):
        lines = blocks.pop(0)[1]
    if not any(_BULLET.match(line) for line in lines):
        return [line.strip() for line in lines]  # a list without bullets: one point a line
    marker = _marker(next(line for line in lines if _BULLET.match(line)))
    while blocks and _marker(blocks[0][1][0]) == marker:
        lines = lines + blocks.pop(0)[1]
    points: list[list[str]] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet or not points:
            points.append([line[bullet.end() :] if bullet else line])
        else:
            points[-1].append(line)  # a wrapped item goes on without a bullet
    return [_join(point) for point in points]


def _marker(line: str) -> str | None:
    bullet = _BULLET.match(line)
    return "".join(bullet[0].split()) if bullet else None


# Python-Markdown's backslash escapes cover these wherever they are (with "extra": "{}" for attribute
# lists, "|" for tables).
_INLINE = re.compile(r"[\\`*_{}\[\]]")
_ESCAPED_AT_START = "#>+-|"
# "\=", "\:" and "\~" would show their backslash (they are not in Python-Markdown's ESCAPED_CHARS),
# yet "=" underlines a heading, ":" opens a definition and "~~~" a code block: character references.
_REFERENCE_AT_START = {"=": "&#61;", ":": "&#58;", "~": "&#126;"}
_ORDERED = re.compile(r"(\d+)[.)]")  # CommonMark also reads "1)" as a list
# What smart punctuation (cmark-gfm's, markdown-it's typographer) and GitHub's strikethrough and
# autolinks would change, written as references, which every engine shows as the character.
# (An e-mail address still becomes a mailto link where autolinks are on: cmark-gfm finds it through any escape.)
_SMART_REFERENCES = {"'": "&#39;", '"': "&#34;", "-": "&#45;", ".": "&#46;", "~": "&#126;", ":": "&#58;"}
_SMART = re.compile(r"['\"~]|(?<=-)-|(?<=\.\.)\.|(?<=www)\.|:(?=//)")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text, in one paragraph, in every engine.

    Each line is stripped (leading blanks would make code); "&" and "<" become references, so
    `&amp;` and `<script>` show as written; tabs too, as Python-Markdown turns them into spaces.
    So do what smart punctuation would turn typographic (straight quotes, `--`, `...`) and what
    GitHub's extensions would read (`~~` strikes through, `www.` and `://` become links; an
    e-mail address still does, its text unchanged).
    """
    lines = []
    for raw in text.split("\n"):
        line = raw.strip().replace("&", "&amp;").replace("<", "&lt;").replace("\t", "&#9;")
        line = _SMART.sub(lambda match: _SMART_REFERENCES[match[0]], line)
        line = _INLINE.sub(r"\\\g<0>", line)
        if line[:1] and line[0] in _ESCAPED_AT_START:
            line = "\\" + line
        elif line[:1] in _REFERENCE_AT_START:
            line = _REFERENCE_AT_START[line[0]] + line[1:]
        elif ordered := _ORDERED.match(line):
            line = f"{ordered[1]}\\{line[len(ordered[1]) :]}"
        lines.append(line)
    return "\n".join(lines)


def story_markdown(story: Story, *, date: datetime, authors: Sequence[str] = (), tags: Sequence[str] = ()) -> str:
    """The complete article file: YAML front matter, then the body's paragraphs as Markdown.

    Keys in this order: title, date (ISO 8601 with its offset), `author` (one name) or `authors`
    (a list), tags, summary and key_points; the last three only when there are some. Summary and
    key points are Markdown in feedpub, so they are escaped like the body.
    """
    if date.utcoffset() is None:
        raise ValueError(f"the date {date.isoformat()} has no UTC offset; give it a time zone")
    front: dict[str, object] = {"title": story.headline, "date": date.isoformat()}
    names = list(dict.fromkeys(name.strip() for name in authors if name.strip()))
    if len(names) == 1:
        front["author"] = names[0]
    elif names:
        front["authors"] = names
    labels = list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))
    if labels:
        front["tags"] = labels
    if story.standfirst:
        front["summary"] = escape_markdown(story.standfirst)
    if story.key_points:
        front["key_points"] = [escape_markdown(point) for point in story.key_points]
    # PyYAML quotes whatever would not read back as the same string ("Yes", "1984", "#1", ": x").
    dumped = yaml.dump(
        front, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False
    )
    body = "\n\n".join(escape_markdown(paragraph) for paragraph in story.paragraphs)
    return f"---\n{dumped}---\n" + (f"\n{body}\n" if body else "")
