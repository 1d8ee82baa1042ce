"""Each generator preset renders as its generator does: golden HTML the real generators wrote.

tests/fixtures/markdown/cases/*.md are short Markdown bodies, one per difference between the
engines; tests/fixtures/markdown/<generator>/<case>.html is what that generator (its VERSION
beside them) made of each, captured by bench/capture_generators.py. Both sides are compared
after tests/htmlnorm.py's normalisation (whitespace, ids, classes, highlighting and footnote
markup set aside). Where feedpub knowingly differs, KNOWN says why; such a case must still
differ (so that a fix updates this list), and every other case must match.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTICLE_URL, TESTS, make_article
from htmlnorm import normalise

from feedpub.render import Renderer
from feedpub.render.clean import clean_html
from feedpub.render.links import SiteIndex

FIXTURES = TESTS / "fixtures" / "markdown"
CASES = sorted(path.stem for path in (FIXTURES / "cases").glob("*.md"))
GENERATORS = ("hugo", "jekyll", "eleventy", "pelican")
BASE = ARTICLE_URL

# (generator, case) -> why feedpub's preset renders it otherwise.
KNOWN: dict[tuple[str, str], str] = {
    ("hugo", "definition-list"): "cmark-gfm has no definition lists (Goldmark's definitionList extension)",
    ("jekyll", "definition-list"): "cmark-gfm has no definition lists (kramdown has)",
    ("jekyll", "abbreviation"): "kramdown's abbreviations (*[HTML]: ...) are not read",
    (
        "jekyll",
        "html-block-div-markdown-attr",
    ): 'kramdown reads Markdown inside HTML with markdown="1"; cmark-gfm does not',
    # Liquid runs before Markdown in Jekyll and Eleventy, and an unknown variable prints nothing;
    # feedpub renders the tags it knows and keeps the others as written, with a warning.
    ("jekyll", "template-braces"): "unknown Liquid is kept as written, with a warning",
    ("eleventy", "template-braces"): "unknown Liquid is kept as written, with a warning",
}


def render(preset: str, body: str) -> str:
    # A site with no other files: Pelican links {static} files anyway, and keeps a {filename} that names nothing.
    renderer = Renderer(index=SiteIndex("https://example.org/", Path("/nonexistent"), []))
    return renderer.render(make_article(body, markdown=preset)).content_html


@pytest.mark.parametrize("generator", GENERATORS)
@pytest.mark.parametrize("case", CASES)
def test_preset_renders_as_its_generator(generator: str, case: str) -> None:
    body = (FIXTURES / "cases" / f"{case}.md").read_text(encoding="utf-8")
    # What a feed would carry of the generator's page: cleaned as feedpub cleans its own rendering.
    page = (FIXTURES / generator / f"{case}.html").read_text(encoding="utf-8").strip()
    theirs = normalise(clean_html(page, BASE), BASE)
    ours = normalise(render(generator, body), BASE)
    if (generator, case) in KNOWN:
        assert ours != theirs, f"now the same as {generator}: remove ({generator!r}, {case!r}) from KNOWN"
    else:
        assert ours == theirs
