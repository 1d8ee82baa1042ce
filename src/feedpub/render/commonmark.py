"""The CommonMark engine (presets hugo, jekyll, commonmark): cmark-gfm, the only module that imports it.

cmark-gfm is GitHub's C implementation of CommonMark with its extensions (tables,
strikethrough, task lists, autolinks, footnotes); it renders in linear time, so it needs none of
Python-Markdown's guards. Without `raw_html` it writes `<!-- raw HTML omitted -->` in place of
raw HTML, exactly as Hugo's Goldmark does by default.
"""

from __future__ import annotations

import html
import re

import cmarkgfm
from cmarkgfm.cmark import Options as CmarkOptions

from feedpub.render.presets import Options

__all__ = ["CommonMark"]

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_MATH = re.compile(r"(?<!\\)\$\$(?!\$)(.+?)(?<!\\)\$\$")
_HEADING_ATTRIBUTES = re.compile(r"^( {0,3}#{1,6}[ \t].*?)[ \t]+\{:?[ \t]*[#.][^{}]*\}[ \t]*$")
_OL_START = re.compile(r'<ol start="\d+">')
_WWW_LINK = re.compile(r'<a href="http://(www\.[^"<>]*)">\1</a>')
_TOKEN = "FEEDPUBMATH{}X"  # letters and digits only: no Markdown rule, smart punctuation or autolink touches it


class CommonMark:
    """Markdown to HTML with cmark-gfm, with the extensions and options a preset asks for."""

    def __init__(self, options: Options) -> None:
        flags = CmarkOptions.CMARK_OPT_DEFAULT
        if options.smart:
            flags |= CmarkOptions.CMARK_OPT_SMART
        if options.raw_html:
            flags |= CmarkOptions.CMARK_OPT_UNSAFE
        if options.footnotes:
            flags |= CmarkOptions.CMARK_OPT_FOOTNOTES
        if options.kramdown:
            flags |= CmarkOptions.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
        self._flags = flags
        self._extensions = ["table", "strikethrough", "tasklist", *(["autolink"] if options.linkify else [])]
        self._options = options

    def convert(self, text: str) -> str:
        options = self._options
        math: list[str] = []
        if options.tex_math or options.heading_attributes:
            text = _prepare(text, math if options.tex_math else None, options.heading_attributes)
        markup = str(cmarkgfm.markdown_to_html_with_extensions(text, options=self._flags, extensions=self._extensions))
        for index, formula in enumerate(math):
            tex = html.escape(formula, quote=False)
            if options.kramdown:  # kramdown writes inline math for MathJax: \(x\)
                tex = f"\\({tex[2:-2]}\\)"
            markup = markup.replace(_TOKEN.format(index), tex)
        if options.kramdown:  # kramdown numbers every ordered list from 1
            markup = _OL_START.sub("<ol>", markup)
        if options.https_www:
            markup = _WWW_LINK.sub(r'<a href="https://\1">\1</a>', markup)
        return markup


def _prepare(text: str, math: list[str] | None, heading_attributes: bool) -> str:
    """`text` outside code with each `$$...$$` set aside (when `math` collects them) and heading attributes cut.

    kramdown (Jekyll) reads `$$...$$` as TeX math; CommonMark would read its `_` as emphasis and
    its `\\{` as an escape, so each formula is replaced by a token and put back after. Goldmark
    and kramdown read `## Title {#id .class}` as a heading with attributes; a feed needs none of
    them, so they are cut rather than shown.
    """
    lines = text.split("\n")
    fence = ""
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            closing = opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence)
            if closing and opening and not line[opening.end() :].strip():
                fence = ""
            continue
        if opening:
            fence = opening[1]
            continue
        if line.startswith(("    ", "\t")):
            continue
        if heading_attributes:
            line = _HEADING_ATTRIBUTES.sub(r"\1", line)
        if math is not None and "$$" in line:
            line = _outside_code_spans(line, math)
        lines[number] = line
    return "\n".join(lines)


def _outside_code_spans(line: str, math: list[str]) -> str:
    def aside(match: re.Match[str]) -> str:
        math.append(match[0])
        return _TOKEN.format(len(math) - 1)

    parts, position = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts += [_MATH.sub(aside, line[position : span.start()]), span[0]]
        position = span.end()
    parts.append(_MATH.sub(aside, line[position:]))
    return "".join(parts)
