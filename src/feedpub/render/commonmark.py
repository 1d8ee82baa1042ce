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

from feedpub.render.markup import wrap_loose_inline
from feedpub.render.presets import Options

__all__ = ["CommonMark"]

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_MATH = re.compile(r"(?<!\\)\$\$(?!\$)(.+?)(?<!\\)\$\$")
# A paragraph that is a formula over several lines: $$ on the first, $$ on the last (kramdown's math block).
_DISPLAY_MATH = re.compile(r"(?m)(?:\A|(?<=\n\n)) {0,3}\$\$(?!\$)(?:(?!\n[ \t]*\n)[\s\S])*?\$\$[ \t]*$")
_HEADING_ATTRIBUTES = re.compile(r"^( {0,3}#{1,6}[ \t].*?)[ \t]+\{:?[ \t]*[#.][^{}]*\}[ \t]*$")
_DROPPED = "\0dropped"
_KRAMDOWN_IAL = re.compile(r"\{:[^{}\n]*\}")
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
        if options.tex_math:
            # Over several lines here; a formula on one line is found with the inline ones.
            text = _DISPLAY_MATH.sub(lambda match: _aside(match, math) if "\n" in match[0] else match[0], text)
        if options.tex_math or options.heading_attributes or options.kramdown:
            text = _prepare(text, math if options.tex_math else None, options.heading_attributes, options.kramdown)
        markup = str(cmarkgfm.markdown_to_html_with_extensions(text, options=self._flags, extensions=self._extensions))
        if options.kramdown:  # kramdown numbers every ordered list from 1, and puts a lone <img> in a paragraph
            markup = wrap_loose_inline(_OL_START.sub("<ol>", markup))
        for index, formula in enumerate(math):
            token, tex = _TOKEN.format(index), html.escape(formula, quote=False)
            if options.kramdown:  # kramdown writes math for MathJax: \(x\) in a paragraph, \[x\] on its own
                inner = tex[2:-2].strip()
                markup = markup.replace(f"<p>{token}</p>", f"\\[{inner}\\]")
                tex = f"\\({inner}\\)"
            markup = markup.replace(token, tex)
        if options.https_www:
            markup = _WWW_LINK.sub(r'<a href="https://\1">\1</a>', markup)
        return markup


def _prepare(text: str, math: list[str] | None, heading_attributes: bool, kramdown: bool = False) -> str:
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
        if kramdown and "{:" in line:  # kramdown's attribute lists: {:width="100%"}, {: .class} (not shown)
            line = _outside_code_spans(line, None, _KRAMDOWN_IAL)
            if not line.strip() and lines[number].strip():
                line = _DROPPED  # a block attribute list alone on its line: the line goes
        if math is not None and "$$" in line:
            line = _outside_code_spans(line, math)
        lines[number] = line
    return "\n".join(line for line in lines if line is not _DROPPED)


def _aside(match: re.Match[str], math: list[str]) -> str:
    math.append(match[0])
    return _TOKEN.format(len(math) - 1)


def _outside_code_spans(line: str, math: list[str] | None, pattern: re.Pattern[str] = _MATH) -> str:
    """`line` with `pattern` set aside into `math` (or removed, when `math` is None) outside code spans."""

    def aside(match: re.Match[str]) -> str:
        return "" if math is None else _aside(match, math)

    parts, position = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts += [pattern.sub(aside, line[position : span.start()]), span[0]]
        position = span.end()
    parts.append(pattern.sub(aside, line[position:]))
    return "".join(parts)
