"""Markdown to HTML for feeds: the only module that imports Python-Markdown.

Links and images are made absolute against the article's URL, since feed readers show content
away from the site; the first paragraph is kept aside as the summary of articles without one.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as etree
from urllib.parse import urljoin, urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor

from feedpub.model import Article, Entry

__all__ = ["Renderer"]

EXTENSIONS = ("extra", "sane_lists")
_URL_ATTRIBUTES = ("href", "src", "poster", "cite")
# Raw HTML in Markdown waits in a stash, not in the tree; its URL attributes are found by this pattern.
_RAW_URL = re.compile(r"""(?P<lead>\s(?:href|src|poster|cite)\s*=\s*)(?P<quote>["'])(?P<url>.*?)(?P=quote)""", re.I)


def absolute(url: str, base: str) -> str:
    """`url` resolved against `base`; URLs with a scheme and in-page `#fragments` are kept."""
    url = url.strip()
    if not url or url.startswith("#") or urlsplit(url).scheme:
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
                    element.set(name, absolute(value, self.base))
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            if isinstance(block, str):
                stash[index] = _RAW_URL.sub(
                    lambda m: m["lead"] + m["quote"] + absolute(m["url"], self.base) + m["quote"], block
                )
        first = next((child for child in root if child.tag == "p" and not _is_stashed_block(child)), None)
        self.first_paragraph = copy.deepcopy(first) if first is not None else None
        if self.first_paragraph is not None:
            self.first_paragraph.tail = None


def _is_stashed_block(paragraph: etree.Element) -> bool:
    """A paragraph that only holds the placeholder of a code block or a raw HTML block."""
    text = (paragraph.text or "").strip()
    return len(paragraph) == 0 and markdown.util.HTML_PLACEHOLDER_RE.fullmatch(text) is not None


class Renderer:
    """Renders articles one after another with one Markdown instance (reset between articles)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
        self._absolutize = _Absolutize(self._md)
        # Below every built-in treeprocessor (the last, "unescape", has priority 0).
        self._md.treeprocessors.register(self._absolutize, "feedpub-absolutize", -10)

    def render(self, article: Article) -> Entry:
        content, first_paragraph = self._convert(article.body, article.url)
        if article.summary is not None:
            summary, _ = self._convert(article.summary, article.url)
        else:
            summary = first_paragraph
        return Entry(article=article, summary_html=summary, content_html=content)

    def _convert(self, text: str, base: str) -> tuple[str, str]:
        """HTML of `text`, and of its first paragraph ("" when it has none)."""
        self._md.reset()
        self._absolutize.base = base
        html = self._md.convert(text)
        first = self._absolutize.first_paragraph
        if first is None:
            return html, ""
        paragraph = self._md.serializer(first)
        for processor in self._md.postprocessors:
            paragraph = processor.run(paragraph)
        return html, paragraph
