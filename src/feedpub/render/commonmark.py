"""The CommonMark engine (presets hugo, jekyll, commonmark): cmark-gfm, the only module that imports it.

cmark-gfm is GitHub's C implementation of CommonMark with its extensions (tables,
strikethrough, task lists, autolinks, footnotes); it renders in linear time, so it needs none of
Python-Markdown's guards. Without `raw_html` it writes `<!-- raw HTML omitted -->` in place of
raw HTML, exactly as Hugo's Goldmark does by default.

cmarkgfm's one-call wrapper (`markdown_to_html_with_extensions`, 2025.10) frees the parser but
neither the document it parsed nor the HTML buffer it rendered: some 70 KB lost per article
of the bench corpus, 800 MB over a cold build of 10,000 with archives. `_to_html` takes the same
steps through cmarkgfm's own functions and frees both, with cmark-gfm's `cmark_node_free` (its
library exports it, cmarkgfm's cffi module does not declare it) and the C library's `free`
(cmark-gfm's default allocator is the C library's).
"""

from __future__ import annotations

import ctypes
import html
import re

from cmarkgfm import _cmark, cmark
from cmarkgfm.cmark import Options as CmarkOptions

from feedpub.render.markup import wrap_loose_inline
from feedpub.render.mdcode import code_ranges
from feedpub.render.presets import Options

__all__ = ["CommonMark"]

_MATH = re.compile(r"(?<!\\)\$\$(?!\$)(.+?)(?<!\\)\$\$")
# A paragraph that is a formula over several lines: $$ on the first, $$ on the last (kramdown's math block).
_DISPLAY_MATH = re.compile(r"(?m)(?:\A|(?<=\n\n)) {0,3}\$\$(?!\$)(?:(?!\n[ \t]*\n)[\s\S])*?\$\$[ \t]*$")
_HEADING_ATTRIBUTES = re.compile(r"(?m)^( {0,3}#{1,6}[ \t].*?)[ \t]+\{:?[ \t]*[#.][^{}\n]*\}[ \t]*$")
_BLOCK_IAL = re.compile(r"(?m)^[ \t]*(?:\{:[^{}\n]*\}[ \t]*)+(?:\n|\Z)")  # a line of attribute lists only
_KRAMDOWN_IAL = re.compile(r"\{:[^{}\n]*\}")
# An image, its alt text (group 1) and an attribute list right after it (group 2): ![alt](src){:width="100%"}
_IMAGE = re.compile(r"!\[((?:[^\[\]\\\n]|\\.)*)\](?:\((?:[^()\n]|\([^()\n]*\))*\)(\{:[^{}\n]*\})?)?")
_IAL_PAIR = re.compile(r"""([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)')""")
_ALT_PUNCTUATION = re.compile(r"""(?<!\\)(['".-])""")
_ATTRIBUTES = re.compile(r"(<img [^>]*?)( ?/?>)FEEDPUBIAL(\d+)X|FEEDPUBIAL\d+X")
_HTML_LINE = re.compile(r"(?m)^ {0,3}</?[A-Za-z]")
_OL_START = re.compile(r'<ol start="\d+">')
_WWW_LINK = re.compile(r'<a href="http://(www\.[^"<>]*)">\1</a>')
# Letters and digits only: no Markdown rule, smart punctuation or autolink touches them.
_TOKEN = "FEEDPUBMATH{}X"
_IAL_TOKEN = "FEEDPUBIAL{}X"


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
        attributes: list[str] = []
        if options.tex_math or options.heading_attributes or options.kramdown:
            text = _prepare(
                text,
                math if options.tex_math else None,
                options.heading_attributes,
                attributes if options.kramdown else None,
            )
        markup = _to_html(text, self._flags, self._extensions)
        if options.kramdown:  # kramdown numbers every ordered list from 1, and puts a lone <img> in a paragraph
            markup = _OL_START.sub("<ol>", markup)
            if _HTML_LINE.search(text):  # only a line starting with a tag makes a raw HTML block
                markup = wrap_loose_inline(markup)
            if attributes:
                markup = _ATTRIBUTES.sub(lambda m: m[1] + attributes[int(m[3])] + m[2] if m[1] else "", markup)
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


def _prepare(text: str, math: list[str] | None, heading_attributes: bool, attributes: list[str] | None = None) -> str:
    """`text` with, outside code, each `$$...$$` set aside (when `math` collects them) and attributes cut.

    kramdown (Jekyll) reads `$$...$$` as TeX math; CommonMark would read its `_` as emphasis and
    its `\\{` as an escape, so each formula is replaced by a token and put back after. Goldmark
    and kramdown read `## Title {#id .class}` as a heading with attributes, and kramdown reads
    `{:width="100%"}` (a line of its own, or after an element) as attributes. A feed needs none
    but an image's (its width, its style), so those are set aside in `attributes` (when kramdown's
    rules apply) with a token for the image's `<img>` tag; the others are cut rather than shown.
    kramdown also takes an image's alt text as written, with no typographic quotes or dashes.
    """
    out, position = [], 0
    for start, end in [*_merged(code_ranges(text)), (len(text), len(text))]:
        if start > position:
            out.append(_outside_code(text[position:start], math, heading_attributes, attributes))
        out.append(text[max(start, position) : end])
        position = max(position, end)
    return "".join(out)


def _outside_code(part: str, math: list[str] | None, heading_attributes: bool, attributes: list[str] | None) -> str:
    if math is not None and "$$" in part:
        # Over several lines; a formula within one line is found with the inline ones.
        part = _DISPLAY_MATH.sub(lambda match: _aside(match, math) if "\n" in match[0] else match[0], part)
        part = _MATH.sub(lambda match: _aside(match, math), part)
    if heading_attributes and "{" in part:
        part = _HEADING_ATTRIBUTES.sub(r"\1", part)
    if attributes is not None and "![" in part:
        part = _IMAGE.sub(lambda match: _kramdown_image(match, attributes), part)
    if attributes is not None and "{:" in part:
        part = _KRAMDOWN_IAL.sub("", _BLOCK_IAL.sub("", part))
    return part


def _kramdown_image(match: re.Match[str], attributes: list[str]) -> str:
    """An image as kramdown reads it: alt text kept as written, the attribute list after it set aside."""
    alt = _ALT_PUNCTUATION.sub(r"\\\1", match[1])
    rest = match[0][len(match[1]) + 3 :]
    if match[2]:
        pairs = _IAL_PAIR.findall(match[2])
        attributes.append("".join(f' {key}="{html.escape(double or single)}"' for key, double, single in pairs))
        rest = rest[: -len(match[2])] + _IAL_TOKEN.format(len(attributes) - 1)
    return f"![{alt}]{rest}"


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _aside(match: re.Match[str], math: list[str]) -> str:
    math.append(match[0])
    return _TOKEN.format(len(math) - 1)


_LIBRARY = ctypes.CDLL(_cmark.__file__)
_LIBRARY.cmark_node_free.argtypes = [ctypes.c_void_p]
_LIBC = ctypes.CDLL(None)
_LIBC.free.argtypes = [ctypes.c_void_p]


def _address(pointer: object) -> int:
    return int(_cmark.ffi.cast("uintptr_t", pointer))


def _to_html(text: str, flags: int, extensions: list[str]) -> str:
    """cmarkgfm.markdown_to_html_with_extensions, without its leaks (see the module's docstring)."""
    cmark.core_extensions_ensure_registered()
    parser = cmark.parser_new(options=flags)
    try:
        for name in extensions:
            cmark.parser_attach_syntax_extension(parser, cmark.find_syntax_extension(name))
        cmark.parser_feed(parser, text)
        root = cmark.parser_finish(parser)
        try:
            raw = _cmark.lib.cmark_render_html(root, flags, cmark.parser_get_syntax_extensions(parser))
            try:
                return str(_cmark.ffi.string(raw).decode("utf-8"))
            finally:
                _LIBC.free(_address(raw))
        finally:
            _LIBRARY.cmark_node_free(_address(root))
    finally:
        cmark.parser_free(parser)
