"""The Python-Markdown engine (presets python-markdown and pelican): the only module that imports it.

Python-Markdown has two known ways to lose text, guarded against here: some mixes of `_`
emphasis with backslash escapes break one of its placeholders, which then leaks into the HTML
(the text it stood for is lost; STX and ETX are characters XML forbids), so such a paragraph is
refused at its line; and its time grows with the cube of list nesting, so bodies nested deeper
than MAX_NESTING are refused before rendering. One instance serves every article, reset between.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from typing import Any

import markdown
from markdown.inlinepatterns import InlineProcessor

from feedpub.errors import LineError
from feedpub.render.presets import Options

__all__ = ["MAX_NESTING", "PythonMarkdown"]

# feedpub's own rendering; Pelican's default MARKDOWN setting is extra and codehilite (and meta,
# which feedpub has already read), with output_format html5.
_EXTENSIONS = {"python-markdown": ["extra", "sane_lists"], "pelican": ["extra", "codehilite"]}
# Code stays plain (no Pygments spans, whose colours need the site's CSS); codehilite still reads
# a first line `:::python` as the language, as Pelican's does, and says it in the class.
_CONFIGS = {"pelican": {"codehilite": {"css_class": "highlight", "use_pygments": False}}}
# Python-Markdown's time grows with the cube of list nesting (1,000 levels: 15 s, then a
# RecursionError); no real article nests this deep, so deeper bodies are refused before rendering.
MAX_NESTING = 100
_NESTING = re.compile(r"^((?: {4}|\t|(?: {0,3}>))*)(?:[-*+>]|\d+[.)])?", re.M)
# Python-Markdown sets parts of a text aside behind placeholders (STX "klzzwxh:N" ETX, STX
# "wzxhzdk:N" ETX, STX "92" ETX for an escaped backslash) and puts them back at the end.
_LEAKED_MARK = re.compile(r"[\x02\x03]")
_PLACEHOLDER_TEXT = re.compile(r"klzzwxh:\d+|wzxhzdk:\d+")
_BLOCKS = re.compile(r"\n(?:[ \t]*\n)+")  # the blank lines between two paragraphs
_DEEP_MESSAGE = f"the body nests lists, quotes or HTML more than {MAX_NESTING} levels deep; flatten it"
LEAK_MESSAGE = (
    "Python-Markdown garbles this paragraph (a Python-Markdown bug, usually `_` emphasis next to"
    " backslash escapes such as `\\\\`), so text would be lost from the feed; escape the"
    " underscores (`\\_`) or put the text in backticks"
)


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
    hides it from nobody reading a feed.
    """

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        address = self.unescape(m[1]).removeprefix("mailto:")
        link = etree.Element("a", {"href": f"mailto:{address}"})
        link.text = markdown.util.AtomicString(address)
        return link, m.start(0), m.end(0)


class PythonMarkdown:
    """Markdown to HTML with Python-Markdown, as feedpub always did (`flavour` python-markdown) or as Pelican does."""

    def __init__(
        self, options: Options, flavour: str = "python-markdown", extensions: Mapping[str, Mapping[str, Any]] = {}
    ) -> None:
        """`extensions`: more Python-Markdown extensions with their settings (Pelican's MARKDOWN["extension_configs"]).

        Raises ValueError naming the extension that cannot be loaded or does not take its settings.
        """
        names = [*_EXTENSIONS[flavour], *(name for name in extensions if _short(name) not in _EXTENSIONS[flavour])]
        configs = {
            _short(name): dict(settings) for name, settings in {**_CONFIGS.get(flavour, {}), **extensions}.items()
        }
        if flavour == "pelican" and "codehilite" in configs:  # plain code, whatever the site's Pygments settings
            configs["codehilite"]["use_pygments"] = False
        try:
            self._md = markdown.Markdown(
                extensions=[_short(name) for name in names],
                extension_configs={name: configs[name] for name in map(_short, names) if name in configs},
                output_format="html",
            )
        except (ImportError, AttributeError, TypeError, KeyError) as error:
            raise ValueError(f"a Python-Markdown extension could not be loaded with its settings: {error}") from None
        automail = _Automail(markdown.inlinepatterns.AUTOMAIL_RE, self._md)
        self._md.inlinePatterns.register(automail, "automail", 110)  # replaces Python-Markdown's own
        if options.tex_math:
            self._md.inlinePatterns.register(_TexMath(_TexMath.PATTERN, self._md), "feedpub-tex", _TexMath.PRIORITY)

    def convert(self, text: str) -> str:
        """HTML of `text`; LineError (the line from 0 in `text`) when it is too deep or would be garbled."""
        deep = _too_deep(text)
        if deep is not None:
            raise LineError(deep, _DEEP_MESSAGE)
        try:
            markup = self._convert(text)
        except RecursionError:
            raise LineError(0, _DEEP_MESSAGE) from None
        if _leaked(markup, text):
            raise LineError(self._garbled_line(text), LEAK_MESSAGE)
        return markup

    def _convert(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)

    def _garbled_line(self, text: str) -> int | None:
        """The line (from 0) of the first paragraph that is garbled on its own, or None."""
        start = 0
        for match in [*_BLOCKS.finditer(text), None]:
            end = match.start() if match else len(text)
            block = text[start:end]
            if block.strip() and _leaked(self._convert(block), block):
                return text.count("\n", 0, start)
            start = match.end() if match else end
        return None


def _short(name: str) -> str:
    """Python-Markdown's own extensions by their short names (`markdown.extensions.toc` is `toc`)."""
    return name.removeprefix("markdown.extensions.")


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
