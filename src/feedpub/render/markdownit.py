"""The markdown-it engine (preset eleventy): markdown-it-py, the only module that imports it.

Eleventy renders Markdown with markdown-it (JavaScript), `html: true` and indented code blocks
off; markdown-it-py is its port, rule for rule, so it is what reproduces an Eleventy site's
pages: cmark-gfm differs from it in details Eleventy readers see (tables' alignment as
`style`, `<br>` and `<hr>` forms, when a list interrupts a paragraph). Its "js-default" preset
is markdown-it's own default: CommonMark with tables and strikethrough. `linkify` needs
linkify-it-py, as in JavaScript.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from feedpub.render.presets import Options

__all__ = ["MarkdownItEngine"]


class MarkdownItEngine:
    def __init__(self, options: Options) -> None:
        self._md = MarkdownIt(
            "js-default", {"html": options.raw_html, "linkify": options.linkify, "typographer": options.smart}
        )
        if options.linkify:
            self._md.enable("linkify")
        # Eleventy 2 and later turn indented code blocks off (so an indented line is text).
        self._md.disable("code")

    def convert(self, text: str) -> str:
        return str(self._md.render(text))
