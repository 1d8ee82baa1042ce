"""Markdown to HTML for feeds: the only module that imports Python-Markdown.

Links and images are made absolute against the article's URL, since feed readers show content
away from the site. An article's summary is, in order: its `summary` field; the part of its body
before the excerpt separator (`<!--more-->`); its first paragraph, cut at `summary_words` words.
Key points become a list at the top of the content (and of the summary, if the site asks).
"""

from __future__ import annotations

import copy
import html
import re
import xml.etree.ElementTree as etree
from urllib.parse import urljoin, urlsplit

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from feedpub.config import SiteConfig
from feedpub.errors import LineError
from feedpub.render.excerpt import split_excerpt, truncate_html
from feedpub.model import Article, Entry

__all__ = ["Renderer"]

EXTENSIONS = ("extra", "sane_lists")
_URL_ATTRIBUTES = frozenset(("href", "src", "poster", "cite", "srcset"))  # srcset: several URLs with sizes
# Raw HTML in Markdown waits in a stash, not in the tree. Its tags are found by _TAG; their
# attributes are read left to right by _ATTRIBUTE, so that a quoted value is taken whole and
# `title="see href=x"` is not mistaken for an href (srcset holds several URLs, each with a size).
_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>")
_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s+(?P<name>[^\s"'>/=]+)\s*=\s*)(?:(?P<quote>["'])(?P<url>.*?)(?P=quote)|(?P<bare>[^\s"'=<>`]+))""",
    re.S,
)
_SRCSET_URL = re.compile(r"(^|,)(\s*)([^\s,][^\s]*)")
# Python-Markdown's time grows with the cube of list nesting (1,000 levels: 15 s, then a
# RecursionError); no real article nests this deep, so deeper bodies are refused before rendering.
MAX_NESTING = 100
_NESTING = re.compile(r"^((?: {4}|\t|(?: {0,3}>))*)(?:[-*+>]|\d+[.)])?", re.M)
_FIRST_PARAGRAPH = re.compile(r"<p[\s>].*?</p>", re.S | re.I)
# Python-Markdown sets parts of a text aside behind placeholders (STX "klzzwxh:N" ETX, STX
# "wzxhzdk:N" ETX, STX "92" ETX for an escaped backslash) and puts them back at the end. Some mixes
# of `_` emphasis with backslash escapes break a placeholder, which then leaks into the HTML:
# the text it stood for is lost, and STX and ETX are characters XML forbids.
_LEAKED_MARK = re.compile(r"[\x02\x03]")
_PLACEHOLDER_TEXT = re.compile(r"klzzwxh:\d+|wzxhzdk:\d+")
_BLOCKS = re.compile(r"\n(?:[ \t]*\n)+")  # the blank lines between two paragraphs
_LEAK_MESSAGE = (
    "Python-Markdown garbles this paragraph (a Python-Markdown bug, usually `_` emphasis next to"
    " backslash escapes such as `\\\\`), so text would be lost from the feed; escape the"
    " underscores (`\\_`) or put the text in backticks"
)


class _Leak(Exception):
    """Python-Markdown leaked a placeholder while converting one part of an article."""

    def __init__(self, part: str, offset: int | None) -> None:
        super().__init__(part)
        self.part = part
        self.offset = offset  # the line, counted from 0 in that part, of the first garbled paragraph


def _leaked(markup: str, source: str) -> bool:
    if _LEAKED_MARK.search(markup):
        return True
    return any(match[0] not in source for match in _PLACEHOLDER_TEXT.finditer(markup))


def _too_deep(markdown_text: str) -> int | None:
    """The offset (in lines) of the first line nested deeper than MAX_NESTING, or None."""
    for number, line in enumerate(markdown_text.split("\n")):
        if len(line) > 4 * MAX_NESTING:
            match = _NESTING.match(line)
            lead = match[1] if match else ""
            if lead.count(">") + lead.count("\t") + lead.count("    ") > MAX_NESTING:
                return number
    return None


def absolute_html(text: str, base: str) -> str:
    """Ready HTML with the URLs of its href, src, poster, cite and srcset attributes made absolute."""

    def attribute(match: re.Match[str]) -> str:
        name = match["name"].lower()
        if name not in _URL_ATTRIBUTES:
            return match[0]
        if match["bare"] is not None:  # quoted now: a resolved URL may hold what a bare value cannot
            return match["lead"] + '"' + _absolute_attribute(name, match["bare"], base) + '"'
        return match["lead"] + match["quote"] + _absolute_attribute(name, match["url"], base) + match["quote"]

    return _TAG.sub(lambda tag: _ATTRIBUTE.sub(attribute, tag[0]), text)


def _absolute_attribute(name: str, value: str, base: str) -> str:
    return absolute_srcset(value, base) if name == "srcset" else absolute(value, base)


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


class _Absolutize(Treeprocessor):
    """Runs last: absolute URLs everywhere, and a copy of the first top-level paragraph."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.base = ""
        self.first_paragraph: etree.Element | None = None

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for name in _URL_ATTRIBUTES:
                value = element.get(name)
                if value is not None:
                    element.set(name, _absolute_attribute(name, value, self.base))
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            if isinstance(block, str):
                stash[index] = absolute_html(block, self.base)
        first = next((child for child in root if child.tag == "p" and not _is_stashed_block(child, stash)), None)
        self.first_paragraph = copy.deepcopy(first) if first is not None else None
        if self.first_paragraph is not None:
            self.first_paragraph.tail = None


class _TexMath(InlineProcessor):
    """`$$...$$` is TeX math, as kramdown (Jekyll's Markdown) reads it: kept exactly as written.

    Read as Markdown, its `_` would become emphasis and `\\{` would lose its backslash. Feed readers
    do not typeset TeX, so the source is the most faithful thing a feed can carry.
    """

    PATTERN = r"(?<!\\)\$\$(?!\$)(.+?)(?<!\\)\$\$"
    PRIORITY = 185  # after code spans (190), before backslash escapes (180) and emphasis

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        return m[0], m.start(0), m.end(0)


class _Automail(InlineProcessor):
    """`<ann@example.org>` becomes a plain `mailto:` link.

    Python-Markdown writes the address as character references behind its own placeholders, which
    hides it from nobody reading a feed and broke when the URL was made absolute.
    """

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        address = self.unescape(m[1]).removeprefix("mailto:")
        link = etree.Element("a", {"href": f"mailto:{address}"})
        link.text = markdown.util.AtomicString(address)
        return link, m.start(0), m.end(0)


def _is_stashed_block(paragraph: etree.Element, stash: list[str | etree.Element]) -> bool:
    """A paragraph that only holds the placeholder of a code block or a raw HTML block.

    Python-Markdown stashes character references (`&#58;`) the same way; a paragraph of one is text.
    """
    placeholder = markdown.util.HTML_PLACEHOLDER_RE.fullmatch((paragraph.text or "").strip())
    if len(paragraph) or placeholder is None:
        return False
    stashed = stash[int(placeholder[1])]
    return not (isinstance(stashed, str) and stashed.startswith("&"))


class Renderer:
    """Renders articles one after another with one Markdown instance (reset between articles)."""

    def __init__(
        self,
        *,
        excerpt_separator: str = "<!--more-->",
        summary_words: int = 60,
        key_points_heading: str = "Key points",
        key_points_in_summary: bool = False,
        tex_math: bool = True,
    ) -> None:
        self.excerpt_separator = excerpt_separator
        self.summary_words = summary_words
        self.key_points_heading = key_points_heading
        self.key_points_in_summary = key_points_in_summary
        self._md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
        self._absolutize = _Absolutize(self._md)
        # Below every built-in treeprocessor (the last, "unescape", has priority 0).
        self._md.treeprocessors.register(self._absolutize, "feedpub-absolutize", -10)
        automail = _Automail(markdown.inlinepatterns.AUTOMAIL_RE, self._md)
        self._md.inlinePatterns.register(automail, "automail", 110)  # replaces Python-Markdown's own
        if tex_math:
            self._md.inlinePatterns.register(_TexMath(_TexMath.PATTERN, self._md), "feedpub-tex", _TexMath.PRIORITY)

    @classmethod
    def for_site(cls, config: SiteConfig) -> Renderer:
        return cls(
            excerpt_separator=config.excerpt_separator,
            summary_words=config.summary_words,
            key_points_heading=config.key_points_heading,
            key_points_in_summary=config.key_points_in_summary,
            tex_math=config.tex_math,
        )

    def render(self, article: Article) -> Entry:
        """The article's content and summary as HTML; LineError when Markdown cannot render it."""
        deep = None if article.body_is_html else _too_deep(article.body)
        try:
            if deep is None:
                return self._render(article)
        except RecursionError:
            deep = 0
        except _Leak as leak:
            if leak.part != "body":
                raise LineError(None, f"the {leak.part}: {_LEAK_MESSAGE}") from None
            raise LineError(article.body_line + (leak.offset or 0), _LEAK_MESSAGE) from None
        raise LineError(
            article.body_line + (deep or 0),
            f"the body nests lists, quotes or HTML more than {MAX_NESTING} levels deep; flatten it",
        )

    def _render(self, article: Article) -> Entry:
        base = article.url
        separator = self.excerpt_separator
        if article.body_is_html:
            content = absolute_html(article.body, base)
            first = _FIRST_PARAGRAPH.search(content)
            excerpt = content.split(separator, 1)[0] if separator in content else None
            first_paragraph = first[0] if first else ""
        else:
            content, first_paragraph = self._convert(article.body, base)
            parts = split_excerpt(article.body, separator)
            excerpt = self._convert(parts[0].rstrip(), base)[0] if parts and parts[0].strip() else None
        if article.summary is not None:
            summary = self._convert(article.summary, base, "summary")[0]
        elif excerpt is not None:
            summary = excerpt
        elif first_paragraph:
            summary = truncate_html(first_paragraph, self.summary_words)
        else:
            summary = ""
        if article.key_points:
            points = self._key_points(article.key_points, base)
            content = points + content
            if self.key_points_in_summary:
                summary = f"{summary}\n{points}".strip("\n")
        return Entry(article=article, summary_html=summary, content_html=content)

    def _key_points(self, points: tuple[str, ...], base: str) -> str:
        items = "".join(f"- {point}\n" for point in points)
        heading = self.key_points_heading
        title = f"<h2>{html.escape(heading, quote=False)}</h2>\n" if heading else ""
        return title + self._convert(items, base, "key points")[0] + "\n"

    def _convert(self, text: str, base: str, part: str = "body") -> tuple[str, str]:
        """HTML of `text`, and of its first paragraph ("" when it has none); _Leak if it is garbled."""
        self._md.reset()
        self._absolutize.base = base
        self._absolutize.first_paragraph = None  # convert() skips the treeprocessors for blank text
        markup = self._md.convert(text)
        if _leaked(markup, text):
            raise _Leak(part, self._garbled_line(text))
        first = self._absolutize.first_paragraph
        if first is None:
            return markup, ""
        paragraph = self._md.serializer(first)
        for processor in self._md.postprocessors:
            paragraph = processor.run(paragraph)
        return markup, paragraph

    def _garbled_line(self, text: str) -> int | None:
        """The line (from 0) of the first paragraph that is garbled on its own, or None."""
        start = 0
        for match in [*_BLOCKS.finditer(text), None]:
            end = match.start() if match else len(text)
            block = text[start:end]
            self._md.reset()
            if block.strip() and _leaked(self._md.convert(block), block):
                return text.count("\n", 0, start)
            start = match.end() if match else end
        return None
