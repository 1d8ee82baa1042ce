"""What is done to rendered HTML whatever engine made it: absolute URLs, the first paragraph, its text.

Feed readers show content away from the site, so every URL in it is made absolute against the
article's URL, in-page ones (`#section`, footnotes) included: a feed has no page for them to
point into. `clean.py` applies `absolute` to every URL attribute as it sanitises; a URL may first
be resolved by the site's own rule (Pelican's `{filename}` links, see `links.py`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

__all__ = [
    "Resolver",
    "absolute",
    "absolute_srcset",
    "first_paragraph",
    "plain_text",
    "wrap_loose_inline",
]

_SRCSET_URL = re.compile(r"(^|,)(\s*)([^\s,][^\s]*)")

#: A site's own rule for a URL as written: the URL to write (absolute, or kept as written), or None
#: when the URL is not of its kind and is to be made absolute as any other.
Resolver = Callable[[str], str | None]


def absolute_srcset(srcset: str, base: str) -> str:
    """A srcset ("a.png 1x, b.png 2x") with every URL made absolute."""
    return _SRCSET_URL.sub(lambda m: m[1] + m[2] + absolute(m[3], base), srcset)


def absolute(url: str, base: str) -> str:
    """`url` resolved against `base`; URLs with a scheme are kept.

    In-page links (`#section`, footnotes' `#fn:1`) are resolved too: a feed has no page for them
    to point into, RSS has no base to resolve them against, and readers resolve them against the
    feed's own URL, which leads nowhere.
    """
    url = url.strip()
    if not url or url.startswith(_ABSOLUTE):
        return url
    # A path from the root ("/about") resolves against the site's root alone, so that its result is
    # the same for every article: one urljoin for the whole site, not one per article.
    return _resolved(url, _root(base) if url.startswith("/") and not url.startswith("//") else base)


@functools.lru_cache(maxsize=4096)
def _resolved(url: str, base: str) -> str:
    try:
        return url if urlsplit(url).scheme else urljoin(base, url)
    except ValueError:  # "//[::1": no URL urllib can read, so none to resolve; kept as written
        return url


@functools.lru_cache(maxsize=256)
def _root(base: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


_ABSOLUTE = ("https://", "http://", "mailto:")  # the commonest schemes, known without urlsplit


class _FirstParagraph(HTMLParser):
    """Finds where the first `<p>` at the top level of a document starts and ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.end is not None or tag in _VOID:
            return
        if not self._open and tag == "p" and self.start is None:
            self.start = self.getpos()
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.end is not None or tag not in self._open:
            return
        while self._open and self._open.pop() != tag:
            pass
        if not self._open and tag == "p" and self.start is not None:
            line, column = self.getpos()
            self.end = (line, column + len(f"</{tag}>"))


_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
)


def first_paragraph(html: str) -> str:
    """The first paragraph at the top level of `html` (`<p>...</p>`, as written), or ""."""
    parser = _FirstParagraph()
    parser.feed(html)
    parser.close()
    if parser.start is None or parser.end is None:
        return ""
    starts = _offsets(html)
    begin = starts[parser.start[0] - 1] + parser.start[1]
    end = starts[parser.end[0] - 1] + parser.end[1]
    return html[begin:end]


# Elements that are part of a paragraph's text (phrasing content), not blocks of their own.
INLINE = frozenset(
    (
        "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img", "input", "ins",
        "kbd", "mark", "picture", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "u",
        "var", "wbr",
    )
)  # fmt: skip


class _Text(HTMLParser):
    """The text of HTML as a reader shows it: character references decoded, blocks apart, blanks collapsed."""

    _BLOCKS = frozenset(
        {"p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table"}
    )
    _HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The text a reader would see of `html`, on one line (JSON Feed's `summary` is plain text)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


class _TopLevel(HTMLParser):
    """The top-level pieces of a document: (start, end, inline?) for each element, text and comment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.pieces: list[tuple[tuple[int, int], bool]] = []  # (where it starts, inline?)
        self._open: list[str] = []

    def _top(self, inline: bool) -> None:
        if not self._open:
            self.pieces.append((self.getpos(), inline))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._top(tag in INLINE)
        if tag not in _VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._top(tag in INLINE)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._top(True)

    def handle_comment(self, data: str) -> None:
        self._top(False)

    def handle_entityref(self, name: str) -> None:
        self._top(True)

    def handle_charref(self, name: str) -> None:
        self._top(True)


def wrap_loose_inline(html: str) -> str:
    """Runs of inline HTML at the top level of a document put into paragraphs of their own.

    kramdown (Jekyll) reads a line holding only `<img ...>` or `<a ...>` as text of a paragraph;
    CommonMark reads it as a raw HTML block, left bare.
    """
    parser = _TopLevel()
    parser.feed(html)
    parser.close()
    offsets = _offsets(html)
    starts = [(offsets[line - 1] + column, inline) for (line, column), inline in parser.pieces]
    if not any(inline for _, inline in starts):
        return html
    out, position, run_start = [], 0, None
    for start, inline in [*starts, (len(html), False)]:
        if inline and run_start is None:
            run_start = start
        elif not inline and run_start is not None:
            chunk = html[run_start:start]
            lead, trail = len(chunk) - len(chunk.lstrip()), len(chunk.rstrip())
            out += [html[position:run_start], chunk[:lead], f"<p>{chunk.strip()}</p>", chunk[trail:]]
            position, run_start = start, None
    out.append(html[position:])
    return "".join(out)


def _offsets(text: str) -> list[int]:
    """Where each line of `text` starts, for HTMLParser's (line, column) positions."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    return starts
