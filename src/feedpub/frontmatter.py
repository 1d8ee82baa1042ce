"""Split an article's text into its front matter (as a mapping) and its Markdown body; pure.

The one module that reads YAML. Plain scalars stay strings (no implicit ints, floats or
timestamps), so `title: 1984` is the title "1984" and dates reach `dates.py` as written;
`true`/`false` and empty values keep their YAML meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from feedpub.errors import LineError

__all__ = ["FrontMatter", "split"]

_FENCE = "---"
_KEEP_AS_TEXT = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """PyYAML's safe loader without the resolvers that turn plain text into numbers and dates."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _KEEP_AS_TEXT]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The front matter's keys and values, the line of each key, and the body after it."""

    meta: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    start_line: int = 1


def split(text: str) -> FrontMatter:
    """Front matter and body of an article's text. Raises LineError when there is none or it is broken."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise LineError(
            1,
            "no front matter: start the file with a line '---', then 'title: ...' and "
            "'date: YYYY-MM-DD' on lines of their own, then another '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            break
    else:
        raise LineError(1, "the front matter opened on line 1 is never closed: add a line '---' after its last key")
    meta, key_lines = _parse_yaml("\n".join(lines[1:index]), first_line=2)
    body = "\n".join(lines[index + 1 :])
    return FrontMatter(meta=meta, lines=key_lines, body=body, body_line=index + 2, start_line=1)


def _parse_yaml(text: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
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
        return {}, {}
    if not isinstance(data, dict):
        raise LineError(first_line, "the front matter must be 'key: value' lines, not a list or a single value")
    key_lines = {
        str(key.value): first_line + key.start_mark.line
        for key, _ in (node.value if isinstance(node, yaml.MappingNode) else [])
        if isinstance(key, yaml.ScalarNode)
    }
    return {str(key): value for key, value in data.items()}, key_lines
