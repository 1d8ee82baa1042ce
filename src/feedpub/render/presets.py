"""Which Markdown each article is rendered as: one preset per generator, its defaults as the generator's.

A preset names an engine and the options that generator has by default. `[build] markdown`
chooses one for every article, or `"auto"` (the default) one per file, by what its generator
would be: Pelican/MultiMarkdown headers → pelican; a file under a Jekyll `_posts` folder →
jekyll; TOML `+++` front matter or a Hugo page bundle → hugo; anything else → CommonMark with
smart punctuation. `[build] smart`, `raw_html` and `linkify` override a preset's own values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

__all__ = ["CHOICES", "PRESETS", "Options", "Preset", "choose", "options_for"]

Engine = Literal["commonmark", "markdown-it", "python-markdown", "pelican"]


@dataclass(frozen=True, slots=True)
class Options:
    """What a preset does; each is a setting the generator has."""

    smart: bool  # typographic quotes, dashes and ellipses (Goldmark's typographer, kramdown's smart quotes)
    raw_html: bool  # raw HTML kept (False: left out, as Hugo does unless `unsafe`)
    linkify: bool  # bare URLs become links (Goldmark's linkify)
    footnotes: bool
    tex_math: bool  # $$...$$ kept as TeX (kramdown's math)
    # What only kramdown (Jekyll) does: strike only with ~~, an ordered list always from 1, $$ as \(...\)
    kramdown: bool = False
    heading_attributes: bool = False  # `## Title {#id}` (Goldmark's parser.attribute.title, kramdown's IALs)
    https_www: bool = False  # a bare `www.` link is https (Goldmark's linkify), not http (cmark-gfm's)


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    engine: Engine
    options: Options
    mirrors: str  # what it reproduces, for `feedpub list -v` and the README


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "hugo",
            "commonmark",
            Options(
                smart=True,
                raw_html=False,
                linkify=True,
                footnotes=True,
                tex_math=False,
                heading_attributes=True,
                https_www=True,
            ),
            "Hugo's Goldmark with its default extensions; raw HTML omitted (markup.goldmark.renderer.unsafe = false)",
        ),
        Preset(
            "jekyll",
            "commonmark",
            Options(
                smart=True,
                raw_html=True,
                linkify=False,
                footnotes=True,
                tex_math=True,
                kramdown=True,
                heading_attributes=True,
            ),
            "Jekyll's kramdown with GFM input: smart quotes, footnotes, $$ math",
        ),
        Preset(
            "eleventy",
            "markdown-it",
            Options(smart=False, raw_html=True, linkify=False, footnotes=False, tex_math=False),
            "Eleventy's markdown-it with html: true",
        ),
        Preset(
            "pelican",
            "pelican",
            Options(smart=False, raw_html=True, linkify=False, footnotes=True, tex_math=False),
            "Pelican's Python-Markdown with extra and codehilite",
        ),
        Preset(
            "commonmark",
            "commonmark",
            Options(smart=False, raw_html=True, linkify=True, footnotes=False, tex_math=False),
            "CommonMark with GitHub's extensions (tables, strikethrough, task lists, autolinks)",
        ),
        Preset(
            "commonmark+smart",
            "commonmark",
            Options(smart=True, raw_html=True, linkify=True, footnotes=True, tex_math=False),
            "CommonMark with GitHub's extensions, footnotes and smart punctuation ('auto' for other files)",
        ),
        Preset(
            "python-markdown",
            "python-markdown",
            Options(smart=False, raw_html=True, linkify=False, footnotes=True, tex_math=True),
            "Python-Markdown with extra and sane_lists (feedpub 0.1's rendering)",
        ),
    )
}
#: The values of `[build] markdown`.
CHOICES = ("auto", "hugo", "jekyll", "eleventy", "pelican", "commonmark", "python-markdown")


def choose(setting: str, path: Path, dialect: str) -> str:
    """The preset of one article: `setting` itself, or for "auto" what the file's generator would use."""
    if setting != "auto":
        return setting
    if dialect == "headers":
        return "pelican"
    if "_posts" in path.parts:
        return "jekyll"
    if dialect == "toml" or path.name.lower() in ("index.md", "index.markdown", "_index.md", "_index.markdown"):
        return "hugo"
    return "commonmark+smart"


def options_for(name: str, overrides: dict[str, bool | None]) -> Options:
    """A preset's options with the site's own settings (None: the preset's) applied."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return replace(PRESETS[name].options, **given)
