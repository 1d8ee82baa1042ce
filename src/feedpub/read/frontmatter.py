"""Split an article's text into its front matter (a mapping) and its Markdown body; pure.

Dialects, told apart by the first line of a Markdown file:
- `---` YAML `---` (Jekyll, Hugo, Eleventy; `...` also closes);
- `+++` TOML `+++` (Hugo);
- `{` a JSON object, then the body (Hugo);
- `Key: value` header lines up to the first blank line (Pelican, MultiMarkdown);
and structured documents (`.json`, `.yaml`/`.yml`, `.toml`) holding one article as fields, its
Markdown in `body` or `content`.

YAML is read with a safe loader in which plain scalars stay strings (no implicit ints, floats or
timestamps), so `title: 1984` is the title "1984" and dates reach `dates.py` as written;
duplicate keys are errors, and aliases may not expand into more than MAX_YAML_NODES values.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import yaml

from feedpub.errors import LineError

__all__ = ["DOCUMENT_SUFFIXES", "HTML_SUFFIXES", "MARKDOWN_SUFFIXES", "FrontMatter", "PlainTimestamp", "split"]

MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")  # Jekyll and Eleventy posts written in HTML, with front matter
DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml", ".toml")
MAX_YAML_NODES = 10_000
# Said of JSON and TOML front matter nested deeper than Python's readers go (some hundreds of levels;
# YAML's reader stops at a thousand with an error of its own).
_TOO_DEEP = "nests lists or tables hundreds of levels deep, deeper than feedpub can read; flatten it"
BODY_KEYS = ("body", "content")

Dialect = Literal["yaml", "toml", "json", "headers", "document"]

_KEEP_AS_TEXT = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class PlainTimestamp(str):
    """A date and time YAML itself reads as a timestamp (written unquoted), kept as its text.

    YAML 1.1 reads a timestamp without a zone as UTC, and so do the generators built on its
    loaders (Jekyll); a quoted date is text, which they read in the site's zone.
    """

    __slots__ = ()


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Python-Markdown's meta extension, which Pelican reads headers with.
_META = re.compile(r"[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)")
_META_MORE = re.compile(r"[ ]{4,}(.*)")
_META_END = re.compile(r"(?:-{3}|\.{3})(?:\s.*)?$")


class _Loader(_Base):  # type: ignore[misc]
    """PyYAML's safe loader without the resolvers that turn plain text into numbers and dates."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _KEEP_AS_TEXT]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    text = str(loader.construct_scalar(node))
    # A date alone (YAML's form is exactly YYYY-MM-DD) is a day, which Jekyll reads in the site's zone.
    return PlainTimestamp(text) if len(text) > len("YYYY-MM-DD") else text


_Loader.add_constructor(_TIMESTAMP, _timestamp)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The front matter's keys and values, the line of each key, and the body after it."""

    meta: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    start_line: int = 1
    dialect: Dialect = "yaml"
    warnings: tuple[tuple[int, str], ...] = ()  # (line, message): things read, but not as written


def normalize(text: str) -> str:
    """Text without a byte-order mark, with "\\n" line ends whatever the file had."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split(text: str, suffix: str = ".md") -> FrontMatter:
    """Front matter and body of an article's text. Raises LineError when there is none or it is broken."""
    text = normalize(text)
    if suffix in DOCUMENT_SUFFIXES:
        return _document(text, suffix)
    lines = text.split("\n")
    # Headers start on the first line (Python-Markdown's meta rule); HTML has only fenced front matter.
    if _META.match(lines[0]) and suffix not in HTML_SUFFIXES:
        return _headers(lines)
    # Hugo reads front matter that follows blank lines, and many Hugo sites start with one.
    skip = next((index for index, line in enumerate(lines) if line.strip()), 0)
    first = lines[skip].rstrip()
    if first == "---":
        return _fenced(lines, skip, "---", ("---", "..."), "yaml", _parse_yaml)
    if first == "+++":
        return _fenced(lines, skip, "+++", ("+++",), "toml", _parse_toml)
    if first.startswith("{"):
        return _json_front_matter(text)
    raise LineError(
        skip + 1,
        "no front matter: start the file with a line '---', then 'title: ...' and "
        "'date: YYYY-MM-DD' on lines of their own, then another '---'",
    )


# A parser: the text and its first line in, the mapping, each key's line and warnings out.
Parsed = tuple[dict[str, Any], dict[str, int], list[tuple[int, str]]]
Parser = Callable[[str, int], Parsed]


def _fenced(
    lines: list[str], start: int, fence: str, closers: tuple[str, ...], dialect: Dialect, parse: Parser
) -> FrontMatter:
    """The front matter between the fence on line `start` (from 0) and its closer."""
    for index in range(start + 1, len(lines)):
        if lines[index].rstrip() in closers:
            break
    else:
        raise LineError(
            start + 1,
            f"the front matter opened on line {start + 1} is never closed: add a line '{fence}' after its last key",
        )
    meta, key_lines, warnings = parse("\n".join(lines[start + 1 : index]), start + 2)
    body = "\n".join(lines[index + 1 :])
    return FrontMatter(
        meta=meta,
        lines=key_lines,
        body=body,
        body_line=index + 2,
        start_line=start + 1,
        dialect=dialect,
        warnings=tuple(warnings),
    )


def _json_front_matter(text: str) -> FrontMatter:
    data, end = _json_object(text, "the JSON front matter", '{ "title": ..., "date": ... }')
    body_line = text.count("\n", 0, end) + 1
    body = text[end:]
    # The rest of the line that closed the object belongs to it, not to the body.
    body = body.split("\n", 1)[1] if "\n" in body else ""
    return FrontMatter(meta=data, lines=_json_lines(text, data), body=body, body_line=body_line + 1, dialect="json")


def _json_object(text: str, what: str, example: str) -> tuple[dict[str, Any], int]:
    """The JSON object at the start of `text`, and where it ends."""
    try:
        start = len(text) - len(text.lstrip())
        data, end = json.JSONDecoder(object_pairs_hook=_no_duplicates).raw_decode(text, start)
    except json.JSONDecodeError as error:
        raise LineError(error.lineno, f"{what} is not valid JSON: {error.msg}") from None
    except _DuplicateKey as error:
        raise LineError(_json_key_line(text, error.key), f"'{error.key}' appears twice; keep one") from None
    except RecursionError:  # Python's JSON reader recurses once a level
        raise LineError(1, f"{what} {_TOO_DEEP}") from None
    if not isinstance(data, dict):
        raise LineError(1, f"{what} must be one JSON object: {example}")
    return data, end


def _headers(lines: list[str]) -> FrontMatter:
    """Pelican / MultiMarkdown `Key: value` lines, read by Python-Markdown's meta rule (Pelican's).

    Lines indented by four spaces or more continue a value; a blank line, or a line `---` or
    `...`, ends the headers; so does the first other line, which is then the body's first line.
    A key written twice keeps its first value, with a warning, as Pelican does.
    """
    meta: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    warnings: list[tuple[int, str]] = []
    key = ""
    body_start = len(lines)
    for index, line in enumerate(lines):
        match = _META.match(line)
        if not line.strip() or _META_END.match(line):
            body_start = index + 1
            break
        if match:
            key = match[1].lower()
            if key in meta:
                message = f"'{match[1]}' appears twice (first on line {key_lines[key]}); the first one is used"
                warnings.append((index + 1, message))
                key = "\0"  # its continuation lines go with the value left out
            else:
                meta[key] = match[2].strip()
                key_lines[key] = index + 1
        elif key and _META_MORE.match(line):
            if key in meta:
                meta[key] = f"{meta[key]} {line.strip()}".strip()
        else:
            body_start = index
            break
    body = "\n".join(lines[body_start:])
    return FrontMatter(
        meta=meta, lines=key_lines, body=body, body_line=body_start + 1, dialect="headers", warnings=tuple(warnings)
    )


def _document(text: str, suffix: str) -> FrontMatter:
    if suffix == ".json":
        data, end = _json_object(text, "the article document", '{ "title": ..., "body": ... }')
        if text[end:].strip():
            raise LineError(text.count("\n", 0, end) + 1, "the article document holds more than one JSON value")
        meta, key_lines = data, _json_lines(text, data)
        warnings: list[tuple[int, str]] = []
    elif suffix == ".toml":
        meta, key_lines, warnings = _parse_toml(text, 1)
    else:
        meta, key_lines, warnings = _parse_yaml(text, 1)
    body_key = next((key for key in BODY_KEYS if key in meta), None)
    body = meta.pop(body_key) if body_key else ""
    body_line = key_lines.get(body_key, 1) if body_key else 1
    if not isinstance(body, str):
        raise LineError(body_line, f"'{body_key}' must be the article's Markdown text")
    return FrontMatter(
        meta=meta, lines=key_lines, body=body, body_line=body_line, dialect="document", warnings=tuple(warnings)
    )


def _parse_toml(text: str, first_line: int) -> Parsed:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        line = first_line + int(match[1]) - 1 if match else first_line
        raise LineError(line, f"the front matter is not valid TOML: {error}") from None
    except RecursionError:  # Python's TOML reader recurses once a level
        raise LineError(first_line, f"the front matter {_TOO_DEEP}") from None
    key_lines: dict[str, int] = {}
    in_table = False  # keys after a [table] header belong to that table
    for number, source in enumerate(text.split("\n"), start=first_line):
        table = re.match(r"""\s*\[\[?\s*(["']?)([^"'.\]\s]+)\1""", source)
        if table:
            in_table = True
            key_lines.setdefault(table[2], number)
            continue
        match = re.match(r"""\s*(["']?)([^"'=\s]+)\1\s*=""", source)
        if match and not in_table:
            key_lines.setdefault(match[2], number)
    return data, key_lines, []


_LEADING_TABS = re.compile(r"^(\t+)", re.M)


def _parse_yaml(text: str, first_line: int) -> Parsed:
    """The YAML mapping, each key's line and warnings; a tab that indents a line is read as two spaces.

    YAML forbids tabs in indentation, but Eleventy's reader (js-yaml, through gray-matter) takes
    `tags:` then a tab and `- post`, and real sites publish such files; so when the text as written
    is not valid YAML and the same text indented with spaces is, that is what is read, with a warning.
    """
    try:
        return _parse_yaml_text(text, first_line)
    except LineError as error:
        tab = _LEADING_TABS.search(text)
        if tab is None:
            raise
        try:
            meta, key_lines, warnings = _parse_yaml_text(
                _LEADING_TABS.sub(lambda m: "  " * len(m[1]), text), first_line
            )
        except LineError:
            raise error from None
        line = first_line + text.count("\n", 0, tab.start())
        message = "a tab indents this line, which YAML forbids; it was read as two spaces: indent with spaces"
        return meta, key_lines, [(line, message), *warnings]


def _parse_yaml_text(text: str, first_line: int) -> Parsed:
    loader = _Loader(text)
    warnings: list[tuple[int, str]] = []
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_yaml(node, first_line, warnings)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark is not None else first_line
        reason = " ".join(part for part in (error.context, error.problem) if part)
        raise LineError(line, f"the front matter is not valid YAML: {reason}") from None
    except yaml.YAMLError as error:
        raise LineError(first_line, f"the front matter is not valid YAML: {error}") from None
    finally:
        loader.dispose()
    if data is None:
        return {}, {}, warnings
    if not isinstance(data, dict):
        raise LineError(first_line, "the front matter must be 'key: value' lines, not a list or a single value")
    assert isinstance(node, yaml.MappingNode)
    key_lines = {
        str(key.value): first_line + key.start_mark.line for key, _ in node.value if isinstance(key, yaml.ScalarNode)
    }
    return {str(key): value for key, value in data.items()}, key_lines, warnings


def _check_yaml(root: yaml.Node, first_line: int, warnings: list[tuple[int, str]]) -> None:
    """Refuse self-referring aliases and alias "bombs" before anything is built; warn of keys written twice.

    A key written twice keeps its last value, as Jekyll's YAML reader (and PyYAML's) does. The walk
    keeps its own stack, not Python's: YAML may nest as deep as its parser allows (a thousand levels),
    deeper than Python's recursion limit.
    """
    leaf = yaml.ScalarNode  # most nodes are leaves: counted without a frame, they cost half as much to check
    if isinstance(root, leaf):
        return
    sizes: dict[int, int] = {}  # of a sequence or a mapping: a leaf counts one wherever it is
    visiting: set[int] = set()

    def children(node: yaml.Node) -> Iterator[yaml.Node]:
        """The node's children in document order; a mapping's keys are checked for duplicates as they come."""
        if isinstance(node, yaml.SequenceNode):
            yield from node.value
            return
        seen: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, leaf) and key.tag != "tag:yaml.org,2002:merge":
                line = first_line + key.start_mark.line
                if key.value in seen:
                    message = f"'{key.value}' appears twice (first on line {seen[key.value]}); the last one is used"
                    warnings.append((line, message))
                seen[key.value] = line
            yield key
            yield value

    stack: list[list[Any]] = [[root, children(root), 1]]  # [node, its children to come, its size so far]
    visiting.add(id(root))
    while stack:
        frame = stack[-1]
        for child in frame[1]:
            if isinstance(child, leaf):
                frame[2] += 1
            elif id(child) in sizes:
                frame[2] += sizes[id(child)]
            elif id(child) in visiting:
                raise LineError(
                    first_line + child.start_mark.line, "a YAML alias refers to itself; write the value out"
                )
            else:
                visiting.add(id(child))
                stack.append([child, children(child), 1])
                break
        else:
            node, _, total = stack.pop()
            visiting.discard(id(node))
            sizes[id(node)] = total
            if total > MAX_YAML_NODES:
                raise LineError(
                    first_line + node.start_mark.line,
                    f"the front matter expands to more than {MAX_YAML_NODES:,} values through YAML aliases; "
                    "write the values out",
                )
            if stack:
                stack[-1][2] += total


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _json_key_line(text: str, key: str) -> int:
    """The line of the last `"key":` in the text (for duplicates: the second one)."""
    matches = list(re.finditer(rf'"{re.escape(key)}"\s*:', text))
    return text.count("\n", 0, matches[-1].start()) + 1 if matches else 1


def _json_lines(text: str, data: dict[str, Any]) -> dict[str, int]:
    lines = {}
    for key in data:
        match = re.search(rf'"{re.escape(key)}"\s*:', text)
        if match:
            lines[key] = text.count("\n", 0, match.start()) + 1
    return lines
