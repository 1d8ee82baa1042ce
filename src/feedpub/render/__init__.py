"""Markdown to HTML for feeds: each article in its generator's Markdown (see `presets`), then made feed-ready.

Each engine is a module of its own, the only importer of its library (`commonmark`: cmark-gfm;
`markdownit`: markdown-it-py; `pymarkdown`: Python-Markdown). Before an engine, `templates`
renders the generator's template tags (Liquid, Hugo's shortcodes), with `links` finding the
articles they name. After it, whatever the engine, comes what is here and in `markup`: links
and images made absolute against the article's URL, since feed readers show content away from
the site; the summary, which is, in order, the article's `summary` field, the part of its body
before the excerpt separator (`<!--more-->`), or its first paragraph cut at `summary_words`
words; key points as a list at the top of the content (and of the summary, if the site asks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from feedpub.render.renderer import Engine, Renderer, absolute, clean_html, make_engine

__all__ = ["Engine", "Renderer", "absolute", "clean_html", "make_engine"]


def __getattr__(name: str) -> Any:
    """The renderer, imported when first asked for: the package's light modules (`presets`, `markup`)
    serve reading and configuration, and a build that renders nothing imports no more than them."""
    if name in __all__:
        from feedpub.render import renderer

        return getattr(renderer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
