"""Where a Markdown text has code, which every rule that rewrites the text must leave alone; pure.

Fenced code blocks (``` and ~~~) and indented ones (four spaces or a tab, after a blank line)
are found line by line; inline code spans, which may run over lines but not over a blank one,
outside them. The excerpt separator has its own reader (`excerpt.py`), which needs lines.
"""

from __future__ import annotations

import re

__all__ = ["code_ranges"]

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.DOTALL)


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Where `text` has code: fenced and indented code blocks by line, then inline code spans outside them."""
    ranges: list[tuple[int, int]] = []
    pos, fence, blank, indented = 0, "", True, False
    for line in text.splitlines(keepends=True):
        body, end = line.rstrip("\r\n"), pos + len(line)
        if fence:
            ranges.append((pos, end))
            mark = body.strip()
            if len(body) - len(body.lstrip(" ")) < 4 and set(mark) == {fence[0]} and len(mark) >= len(fence):
                fence = ""
        elif m := _FENCE.match(body):
            fence = m.group(1)
            ranges.append((pos, end))
        elif body.strip() and body.startswith(("    ", "\t")) and (blank or indented):
            indented = True
            ranges.append((pos, end))
        elif body.strip():
            indented = False
        blank, pos = not body.strip(), end
    masked = list(text)
    for start, end in ranges:
        masked[start:end] = " " * (end - start)
    ranges += [m.span() for m in _SPAN.finditer("".join(masked))]
    return ranges
