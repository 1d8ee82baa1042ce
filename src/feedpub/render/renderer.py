"""The Renderer: one article's Markdown to its entry's HTML (see the package's docstring), and the
engine of each preset."""

from __future__ import annotations

import html
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from feedpub.errors import LineError, Problem
from feedpub.model import Article, Entry
from feedpub.render.clean import clean_html
from feedpub.render.excerpt import split_excerpt, truncate_html
from feedpub.render.links import Linked, SiteIndex
from feedpub.render.markup import Resolver, absolute, first_paragraph
from feedpub.render.presets import PRESETS, options_for
from feedpub.render.templates import SiteRefs, expand

_STASH = "FEEDPUBSHORTCODE{}X"  # letters and digits only: no Markdown rule touches it

if TYPE_CHECKING:  # config reads the preset names from render.presets
    from feedpub.config import SiteConfig

__all__ = ["Engine", "Renderer", "absolute", "clean_html", "make_engine"]


class Engine(Protocol):
    """Markdown text in, HTML out; LineError (its line counted from 0 in the text) when it cannot."""

    def convert(self, text: str) -> str: ...


def make_engine(
    preset: str, overrides: dict[str, bool | None], extensions: Mapping[str, Mapping[str, Any]] = {}
) -> Engine:
    """The engine of a preset; `extensions` are added Python-Markdown extensions (ValueError if one cannot load)."""
    options = options_for(preset, overrides)
    kind = PRESETS[preset].engine
    if kind == "commonmark":
        from feedpub.render.commonmark import CommonMark

        return CommonMark(options)
    if kind == "markdown-it":
        from feedpub.render.markdownit import MarkdownItEngine

        return MarkdownItEngine(options)
    from feedpub.render.pymarkdown import PythonMarkdown

    return PythonMarkdown(options, kind, extensions)


class Renderer:
    """Renders articles one after another; one engine per preset, made when first needed."""

    def __init__(
        self,
        *,
        excerpt_separator: str = "<!--more-->",
        summary_words: int = 60,
        key_points_heading: str = "Key points",
        key_points_in_summary: bool = False,
        smart: bool | None = None,
        raw_html: bool | None = None,
        linkify: bool | None = None,
        tex_math: bool | None = None,
        index: SiteIndex | None = None,
        markdown_extensions: Mapping[str, Mapping[str, Any]] | None = None,
        ignore_tags: Collection[str] = (),
        site_variables: Mapping[str, str] | None = None,
    ) -> None:
        self.excerpt_separator = excerpt_separator
        self.summary_words = summary_words
        self.key_points_heading = key_points_heading
        self.key_points_in_summary = key_points_in_summary
        # The site's own settings; None leaves each preset's.
        self._overrides = {"smart": smart, "raw_html": raw_html, "linkify": linkify, "tex_math": tex_math}
        self._engines: dict[str, Engine] = {}
        self._extensions = dict(markdown_extensions or {})
        if self._extensions:  # a setting that cannot work is found now, not at the first article
            make_engine("python-markdown", self._overrides, self._extensions)
        self.index = index  # the site's articles and files, for links written as their paths
        self.warnings: list[Problem] = []  # found while rendering; the caller takes them
        self._reported: set[Problem] = set()  # this article's, reported once (its excerpt is rendered twice)
        self.ignore_tags = frozenset(ignore_tags)
        self._stashed: list[str] = []  # HTML set aside from Markdown while one text is rendered
        self.site_variables = dict(site_variables or {})

    @classmethod
    def for_site(cls, config: SiteConfig, articles: Iterable[Linked] = ()) -> Renderer:
        return cls(
            index=SiteIndex(config.url, config.articles, articles),
            excerpt_separator=config.excerpt_separator,
            summary_words=config.summary_words,
            key_points_heading=config.key_points_heading,
            key_points_in_summary=config.key_points_in_summary,
            smart=config.smart,
            raw_html=config.raw_html,
            linkify=config.linkify,
            tex_math=config.tex_math,
            markdown_extensions={name: dict(settings) for name, settings in config.markdown_extensions},
            ignore_tags=config.ignore_tags,
            site_variables=dict(config.site_variables),
        )

    def engine(self, preset: str) -> Engine:
        if preset not in self._engines:
            self._engines[preset] = make_engine(preset, self._overrides, self._extensions)
        return self._engines[preset]

    def render(self, article: Article) -> Entry:
        """The article's content and summary as HTML; LineError when its Markdown cannot be rendered."""
        self._reported.clear()
        base = article.url
        separator = self.excerpt_separator
        if article.body_is_html:
            content = clean_html(article.body, base)
            excerpt = clean_html(article.body.split(separator, 1)[0], base) if separator in article.body else None
        else:
            content = self._convert(article, article.body, "body")
            parts = split_excerpt(article.body, separator)
            excerpt = self._convert(article, parts[0].rstrip(), "body") if parts and parts[0].strip() else None
        if article.summary is not None:
            summary = self._convert(article, article.summary, "summary")
        elif excerpt is not None:
            summary = excerpt
        else:
            summary = truncate_html(first_paragraph(content), self.summary_words)
        if article.key_points:
            points = self._key_points(article)
            content = points + content
            if self.key_points_in_summary:
                summary = f"{summary}\n{points}".strip("\n")
        enclosures = tuple(
            enclosure
            if enclosure.length is not None or self.index is None
            else replace(enclosure, length=self.index.local_size(enclosure.url, article))
            for enclosure in article.enclosures
        )
        return Entry(article=article, summary_html=summary, content_html=content, enclosures=enclosures)

    def _key_points(self, article: Article) -> str:
        items = "".join(f"- {point}\n" for point in article.key_points)
        heading = self.key_points_heading
        title = f"<h2>{html.escape(heading, quote=False)}</h2>\n" if heading else ""
        return title + self._convert(article, items, "key points") + "\n"

    def _convert(self, article: Article, text: str, part: str) -> str:
        """HTML of one part of an article, its URLs absolute; LineError naming the part or the body's line."""
        text = self._expand(article, text, part)
        try:
            markup = self._unstash(self.engine(article.markdown).convert(text))
        except LineError as error:
            if part != "body":
                raise LineError(None, f"the {part}: {error.message}") from None
            raise LineError(article.body_line + (error.line or 0), error.message) from None
        resolve = self._pelican_links(article) if article.markdown == "pelican" and self.index else None
        return clean_html(markup.rstrip("\n"), article.url, resolve)

    def _stash(self, html: str) -> str:
        """A placeholder for HTML that goes into the page after Markdown (a Hugo shortcode's)."""
        self._stashed.append(html)
        return _STASH.format(len(self._stashed) - 1)

    def _unstash(self, markup: str) -> str:
        for index, html_text in enumerate(self._stashed):
            token = _STASH.format(index)
            markup = markup.replace(f"<p>{token}</p>", html_text).replace(token, html_text)
        self._stashed.clear()
        return markup

    def _expand(self, article: Article, text: str, part: str) -> str:
        """`text` with the template tags of the article's generator expanded (Liquid, Hugo shortcodes)."""
        if "{{" not in text and "{%" not in text:  # expand() leaves other presets' text as it is
            return text
        index = self.index
        refs = SiteRefs(
            url=index.site_url if index else "https://example.org/",
            find=lambda path: index.find(path, article) if index else None,
            find_post=lambda name: index.find_post(name) if index else None,
            find_page=lambda path: index.find_page(path) if index else None,
            variables=self.site_variables,
        )
        expanded, found = expand(text, article.markdown, refs, self.ignore_tags, self._stash)
        for offset, message in found:
            if part == "body":
                problem = Problem(article.path, article.body_line + offset, message, "warning")
            else:
                problem = Problem(article.path, None, f"the {part}: {message}", "warning")
            if problem not in self._reported:
                self._reported.add(problem)
                self.warnings.append(problem)
        return expanded

    def _pelican_links(self, article: Article) -> Resolver:
        """Pelican's `{filename}`, `{static}` and `{attach}` links; one that names nothing is kept, with a warning."""
        index = self.index
        assert index is not None

        def resolve(value: str) -> str | None:
            url, found = index.pelican(html.unescape(value), article)
            if not found:
                at = article.body.find(html.unescape(value))
                line = article.body_line + article.body.count("\n", 0, at) if at >= 0 else None
                message = f"the link {html.unescape(value)} names no file of the site; it is kept as written"
                self.warnings.append(Problem(article.path, line, message, "warning"))
            return url

        return resolve
