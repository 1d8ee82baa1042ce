"""What is done to rendered HTML whatever engine made it: absolute URLs, the first paragraph.

Feed readers show content away from the site, so every URL in it is made absolute against the
article's URL (`href`, `src`, `poster`, `cite`, `srcset`), in-page ones (`#section`, footnotes)
included: a feed has no page for them to point into. A URL may first be resolved by the site's
own rule (Pelican's `{filename}` links, see `links.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

__all__ = ["Resolver", "absolute", "absolute_html", "absolute_srcset", "first_paragraph"]

URL_ATTRIBUTES = frozenset(("href", "src", "poster", "cite", "srcset"))  # srcset: several URLs with sizes
# Tags are found by _TAG; their attributes are read left to right by _ATTRIBUTE, so that a quoted
# value is taken whole and `title="see href=x"` is not mistaken for an href.
_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>")
_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s+(?P<name>[^\s"'>/=]+)\s*=\s*)(?:(?P<quote>["'])(?P<url>.*?)(?P=quote)|(?P<bare>[^\s"'=<>`]+))""",
    re.S,
)
_SRCSET_URL = re.compile(r"(^|,)(\s*)([^\s,][^\s]*)")

#: A site's own rule for a URL as written: the URL to write (absolute, or kept as written), or None
#: when the URL is not of its kind and is to be made absolute as any other.
Resolver = Callable[[str], str | None]


def absolute_html(text: str, base: str, resolve: Resolver | None = None) -> str:
    """HTML with the URLs of its href, src, poster, cite and srcset attributes made absolute."""

    def attribute(match: re.Match[str]) -> str:
        name = match["name"].lower()
        if name not in URL_ATTRIBUTES:
            return match[0]
        if match["bare"] is not None:  # quoted now: a resolved URL may hold what a bare value cannot
            return match["lead"] + '"' + _absolute_attribute(name, match["bare"], base, resolve) + '"'
        value = _absolute_attribute(name, match["url"], base, resolve)
        return match["lead"] + match["quote"] + value + match["quote"]

    return _TAG.sub(lambda tag: _ATTRIBUTE.sub(attribute, tag[0]), text)


def _absolute_attribute(name: str, value: str, base: str, resolve: Resolver | None) -> str:
    if name == "srcset":
        return absolute_srcset(value, base)
    resolved = resolve(value) if resolve is not None else None
    return resolved if resolved is not None else absolute(value, base)


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
    if not url or urlsplit(url).scheme:
        return url
    return urljoin(base, url)


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
    lines = html.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    begin = starts[parser.start[0] - 1] + parser.start[1]
    end = starts[parser.end[0] - 1] + parser.end[1]
    return html[begin:end]
