"""Summaries cut from an article: the excerpt separator in Markdown, and HTML cut at a word limit; pure.

`split_excerpt` finds the separator outside code (fenced, indented, or an inline code span).
`truncate_html` keeps the HTML well-formed: elements open at the cut are closed, tags and entities are
copied as written and never split, and no word is cut in half. A word is a run of non-whitespace in
the text as a reader sees it: inline tags do not end a word (`un<em>believ</em>able` is one), block
tags and `<br>` do, and `&nbsp;` binds its neighbours. Chinese and Japanese, written without spaces,
count each character (with the punctuation and combining marks after it) as a word, so such text is
cut too, never inside a character. A word of a spaced script is never split, however long.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from html.parser import HTMLParser

__all__ = ["split_excerpt", "truncate_html"]

VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"))
# Where a browser starts a new line, so a word cannot run across these tags.
_BREAKS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "nav", "ol", "p", "pre", "section", "summary",
    "table", "td", "th", "tr", "ul",
))  # fmt: skip
_SKIPPED = frozenset(("script", "style"))
# Dropped from the end of the last kept word, so that "one, two" cut at 1 reads "one…", not "one,…".
_TRAILING = frozenset(",;:\u2013\u2014-\u3001\uff0c\uff1b\uff1a\xa0")
_NO_BREAK_SPACES = frozenset("\xa0\u2007\u202f")
# Kana and Han: scripts written without spaces between words.
_UNSPACED = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x20000, 0x3134F),
)
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")

_Mark = tuple[int, tuple[str, ...]]  # length of the output so far, and the elements open there


def split_excerpt(markdown_text: str, separator: str = "<!--more-->") -> tuple[str, str] | None:
    """(before, after) at the first separator outside code, or None when there is none.

    An HTML-comment separator also matches with blanks inside and in any case (`<!-- More -->`).
    """
    if not separator.strip():
        raise ValueError("the excerpt separator must not be blank")
    pattern = _separator_pattern(separator)
    if pattern.search(markdown_text) is None:  # most texts: no need to look line by line
        return None
    offset = 0
    fence = ""  # the opening fence while inside fenced code
    blank_before, indented = True, False
    for line in re.findall(r"[^\n]*\n|[^\n]+", markdown_text):
        stripped = line.strip()
        if fence:
            # A fence closes with the same character, at least as many times, and nothing else.
            if len(line) - len(line.lstrip(" ")) <= 3 and len(stripped) >= len(fence) and set(stripped) == {fence[0]}:
                fence = ""
        elif opening := _FENCE.match(line):
            fence = opening[1]
        elif line.startswith(("    ", "\t")) and (blank_before or indented):
            indented = True  # code only after a blank line: after a paragraph line it continues the paragraph
        else:
            indented = False
            for match in pattern.finditer(line):
                if not _in_code_span(line, match.start()):
                    return markdown_text[: offset + match.start()], markdown_text[offset + match.end() :]
        blank_before = not stripped
        offset += len(line)
    return None


def _separator_pattern(separator: str) -> re.Pattern[str]:
    comment = re.fullmatch(r"<!--\s*(.*?)\s*-->", separator.strip(), re.DOTALL)
    if comment:
        return re.compile(rf"<!--\s*{re.escape(comment[1])}\s*-->", re.IGNORECASE)
    return re.compile(re.escape(separator))


def _in_code_span(line: str, index: int) -> bool:
    """Whether `index` falls inside an inline code span: backticks up to as many backticks again."""
    runs = list(re.finditer(r"`+", line))
    i = 0
    while i < len(runs):
        closer = next((j for j in range(i + 1, len(runs)) if len(runs[j][0]) == len(runs[i][0])), None)
        if closer is None:
            i += 1
            continue
        if runs[i].end() <= index < runs[closer].start():
            return True
        i = closer + 1
    return False


def truncate_html(html: str, words: int, ellipsis: str = "\u2026") -> str:
    """At most `words` words of `html`, well-formed, with `ellipsis` right after the last one if cut.

    Nothing cut: the input comes back unchanged. Text in <script> and <style> is not counted, and
    those elements and comments are left out of a cut summary.
    """
    if words <= 0:
        raise ValueError(f"words must be 1 or more, not {words}")
    cutter = _Cutter(html, words)
    cutter.feed(html)
    cutter.close()
    if cutter.cut is None:
        return html
    length, still_open = cutter.cut
    return "".join(cutter.out[:length]) + ellipsis + "".join(f"</{name}>" for name in reversed(still_open))


class _Cutter(HTMLParser):
    """Copies markup and text through, one character or reference at a time, until the budget runs out.

    `cut` is set when a word starts after the last one allowed: where to end the output (after the last
    kept character that is not trailing punctuation) and which elements are open there.
    """

    def __init__(self, source: str, budget: int) -> None:
        # References stay as written; the parser would otherwise decode them in the text it hands over.
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", source))]
        self.budget = budget
        self.out: list[str] = []
        self.open: list[str] = []  # tag names as written, so `<P>` closes with `</P>`
        self.skipping = False
        self.in_word = False
        self.unspaced_word = False
        self.spent: _Mark | None = None
        self.kept: _Mark | None = None
        self.cut: _Mark | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping = True
        if self.skipping or self.cut is not None:
            return
        text = self.get_starttag_text() or f"<{tag}>"
        self.out.append(text)
        self.in_word = self.in_word and tag not in _BREAKS
        if tag not in VOID:
            self.open.append(text[1 : 1 + len(tag)])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or self.cut is not None or tag in _SKIPPED:
            return
        self.out.append(self.get_starttag_text() or f"<{tag} />")
        self.in_word = self.in_word and tag not in _BREAKS

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = False
            return
        if self.skipping or self.cut is not None or tag not in (name.lower() for name in self.open):
            return
        self.in_word = self.in_word and tag not in _BREAKS
        while self.open:
            name = self.open.pop()
            self.out.append(f"</{name}>")
            if name.lower() == tag:
                break

    def handle_data(self, data: str) -> None:
        for char in data:
            self._unit(char, char)

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")

    def _reference(self, start: str) -> None:
        line, column = self.getpos()
        end = self.line_starts[line - 1] + column + len(start)
        raw = start + ";" if self.source.startswith(";", end) else start
        self._unit(raw, htmllib.unescape(raw))

    def _unit(self, raw: str, decoded: str) -> None:
        """One character or reference of text: whitespace, the next part of a word, or a new word."""
        if self.skipping or self.cut is not None:
            return
        char = decoded[:1] or raw[:1]
        if raw.isspace() and raw not in _NO_BREAK_SPACES:
            self.in_word = False
            self.out.append(raw)
            return
        unspaced = any(low <= ord(char) <= high for low, high in _UNSPACED) and unicodedata.category(char)[0] == "L"
        letter = unicodedata.category(char)[0] in "LN"
        if not self.in_word or unspaced or (self.unspaced_word and letter):
            if self.budget == 0:
                self.cut = self.kept or self.spent
                return
            self.budget -= 1
            self.unspaced_word = unspaced
        self.in_word = True
        self.out.append(raw)
        self.spent = (len(self.out), tuple(self.open))
        if decoded not in _TRAILING:
            self.kept = self.spent
