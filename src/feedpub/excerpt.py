"""Summaries cut from a body: the excerpt separator, and HTML cut at a word limit; pure.

`truncate_html` keeps the HTML well-formed: every element open at the cut is closed, entities
and tags are never split, and no word is cut in half. Text without spaces (Chinese, Japanese)
counts each character as a word, so a summary of such text is cut too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["split_excerpt", "truncate_html"]

VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"))
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Characters of scripts written without spaces between words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def split_excerpt(markdown_text: str, separator: str = "<!--more-->") -> tuple[str, str] | None:
    """(before, after) at the first separator outside fenced code, or None when there is none.

    An HTML-comment separator also matches with blanks inside and in any case (`<!-- More -->`).
    """
    pattern = _separator_pattern(separator)
    offset = 0
    fence: str | None = None
    for line in markdown_text.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening[1][0] * 3
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None and not line.startswith(("    ", "\t")):
            match = pattern.search(line)
            if match:
                start = offset + match.start()
                return markdown_text[:start], markdown_text[offset + match.end() :]
        offset += len(line)
    return None


def _separator_pattern(separator: str) -> re.Pattern[str]:
    comment = re.fullmatch(r"<!--\s*(.*?)\s*-->", separator.strip())
    if comment:
        return re.compile(rf"<!--\s*{re.escape(comment[1])}\s*-->", re.IGNORECASE)
    return re.compile(re.escape(separator))


def truncate_html(html: str, words: int, ellipsis: str = "\u2026") -> str:
    """At most `words` words of `html`, well-formed, with `ellipsis` after the last one if cut.

    Nothing cut: the input comes back unchanged. Text in <script> and <style> is not counted.
    """
    if words <= 0:
        raise ValueError("words must be 1 or more")
    cutter = _Cutter(words)
    cutter.feed(html)
    cutter.close()
    cutter.flush()
    if cutter.mark is None:
        return html
    length, still_open = cutter.mark
    out = re.sub(r"[\s,;:\u2013\u2014-]+$", "", "".join(cutter.out[:length]))
    return out + ellipsis + "".join(f"</{tag}>" for tag in reversed(still_open))


class _Cutter(HTMLParser):
    """Copies markup and text through, remembering where the word budget ran out.

    Text is gathered until the next tag, so that a word holding an entity (`AT&amp;T`) is one word.
    `mark` is set once words remain after the budget: the output's length and the elements open
    when the last word allowed was written.
    """

    def __init__(self, budget: int) -> None:
        super().__init__(convert_charrefs=False)
        self.budget = budget
        self.out: list[str] = []
        self.open: list[str] = []
        self.pending: list[str] = []
        self.spent: tuple[int, list[str]] | None = None  # where the budget ran out
        self.mark: tuple[int, list[str]] | None = None  # set when a word came after that
        self.skipping = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        if tag in ("script", "style"):
            self.skipping += 1
        if self.skipping:
            return
        self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        if not self.skipping:
            self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        self.flush()
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping or tag not in self.open:
            return
        while self.open:
            closed = self.open.pop()
            self.out.append(f"</{closed}>")
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        self.pending.append(data)

    def handle_entityref(self, name: str) -> None:
        self.pending.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.pending.append(f"&#{name};")

    def flush(self) -> None:
        text, self.pending = "".join(self.pending), []
        if not text or self.skipping or self.mark is not None:
            return
        for token in _tokens(text):
            if token.isspace():
                self.out.append(token)
            elif self.spent is not None:
                self.mark = self.spent
                return
            else:
                self.out.append(token)
                self.budget -= 1
                if self.budget == 0:
                    self.spent = (len(self.out), list(self.open))


def _tokens(data: str) -> list[str]:
    """Blanks, words, and single characters of unspaced scripts, in order; entities stay whole."""
    tokens: list[str] = []
    for piece in re.split(r"(\s+)", data):
        if not piece:
            continue
        if piece.isspace() or not _UNSPACED.search(piece):
            tokens.append(piece)
            continue
        tokens.extend(re.findall(rf"{_UNSPACED.pattern}|(?:{_ENTITY.pattern}|(?!{_UNSPACED.pattern})\S)+", piece))
    return tokens
