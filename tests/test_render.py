"""Markdown to HTML: extensions, absolute URLs, summaries."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ARTICLE_URL, make_article

from feedpub.render import Renderer, absolute

article = make_article
URL = ARTICLE_URL


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("../other/", "https://example.org/2026/05/other/", id="parent-relative"),
        pytest.param("pic.png", "https://example.org/2026/05/post/pic.png", id="same-folder"),
        pytest.param("/about/", "https://example.org/about/", id="root-relative"),
        pytest.param("//cdn.example/x.js", "https://cdn.example/x.js", id="scheme-relative"),
        pytest.param("https://other.example/", "https://other.example/", id="absolute-kept"),
        pytest.param("mailto:a@example.org", "mailto:a@example.org", id="mailto-kept"),
        pytest.param("#fn:1", "https://example.org/2026/05/post/#fn:1", id="in-page-fragment"),
    ],
)
def test_absolute(url: str, expected: str) -> None:
    assert absolute(url, URL) == expected


def test_links_and_images_become_absolute_in_markdown_and_raw_html() -> None:
    entry = Renderer().render(
        article('[a](../a/) ![i](i.png) <a href="raw/">r</a>\n\n<img src=\'/x.png\'>\n\n    <a href="code/">\n')
    )
    html = entry.content_html
    assert '<a href="https://example.org/2026/05/a/">a</a>' in html
    assert '<img alt="i" src="https://example.org/2026/05/post/i.png">' in html
    assert '<a href="https://example.org/2026/05/post/raw/">r</a>' in html
    assert '<img src="https://example.org/x.png">' in html
    assert "&lt;a href=&quot;code/&quot;&gt;" in html or '&lt;a href="code/"&gt;' in html, "code is left as written"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("<img src=x.png>", '<img src="https://example.org/2026/05/post/x.png">', id="unquoted-src"),
        pytest.param("<a HREF=../y>y</a>", '<a href="https://example.org/2026/05/y">y</a>', id="unquoted-upper-case"),
        pytest.param(
            '<img srcset="a.png 1x, /b.png 2x,https://c.example/c.png 3x" src="a.png">',
            '<img srcset="https://example.org/2026/05/post/a.png 1x, https://example.org/b.png 2x,'
            'https://c.example/c.png 3x" src="https://example.org/2026/05/post/a.png">',
            id="srcset",
        ),
        pytest.param(
            '<a title="see href=x" href=y>href=z</a>',
            '<a title="see href=x" href="https://example.org/2026/05/post/y">href=z</a>',
            id="only-real-attributes-of-real-tags",
        ),
        pytest.param(
            '<video poster=p.jpg src="v.mp4"></video>',
            '<video poster="https://example.org/2026/05/post/p.jpg" src="https://example.org/2026/05/post/v.mp4">'
            "</video>",
            id="poster",
        ),
    ],
)
def test_raw_html_urls_become_absolute_quoted_or_not(raw: str, expected: str) -> None:
    assert expected in Renderer().render(article(f"<p>{raw}</p>\n")).content_html


def test_srcset_from_markdown_attributes_becomes_absolute() -> None:
    html = Renderer().render(article('![i](i.png){: srcset="i2.png 2x"}\n')).content_html
    assert 'srcset="https://example.org/2026/05/post/i2.png 2x"' in html


def test_extensions_fenced_code_tables_footnotes() -> None:
    html = (
        Renderer().render(article("```toml\nx = 1\n```\n\n| a |\n|---|\n| b |\n\nNote[^n].\n\n[^n]: N.\n")).content_html
    )
    assert '<pre><code class="language-toml">x = 1\n</code></pre>' in html
    assert "<table>" in html and "<td>b</td>" in html
    assert 'class="footnote"' in html


def test_footnotes_do_not_leak_between_articles() -> None:
    renderer = Renderer()
    renderer.render(article("One[^a].\n\n[^a]: First note.\n"))
    second = renderer.render(article("Two.\n"))
    assert "First note" not in second.content_html


@pytest.mark.parametrize(("body", "text"), [("&#58;", ":"), ("&amp;", "&amp;"), ("&#58; &#59;", ": ;")])
def test_a_first_paragraph_of_character_references_is_the_summary(body: str, text: str) -> None:
    # Python-Markdown stashes a lone reference like a raw HTML block; it is text all the same
    # (written as the character it stands for, once cleaned).
    assert Renderer().render(article(body)).summary_html == f"<p>{text}</p>"


@pytest.mark.parametrize("body", ["", "   \n\n", "## Only a heading\n"])
def test_the_first_paragraph_does_not_leak_into_the_next_article(body: str) -> None:
    # Python-Markdown returns early for blank text, skipping the tree step that finds the first paragraph.
    renderer = Renderer()
    renderer.render(article("The previous article's private first paragraph.\n"))
    entry = renderer.render(article(body))
    assert "previous" not in entry.summary_html + entry.content_html
    assert entry.summary_html == ""


def test_summary_is_the_explicit_one_or_the_first_paragraph() -> None:
    renderer = Renderer()
    assert renderer.render(article("Body.", summary="A *b* & c")).summary_html == "<p>A <em>b</em> &amp; c</p>"
    first = renderer.render(article("## Title\n\nFirst <b>bold</b> [l](x/) &amp; more.\n\nSecond.\n")).summary_html
    assert first == '<p>First <b>bold</b> <a href="https://example.org/2026/05/post/x/">l</a> &amp; more.</p>'
    assert renderer.render(article("```\ncode only\n```\n")).summary_html == ""
    after_code = renderer.render(article("```\ncode\n```\n\n<div>raw</div>\n\nThe text.\n")).summary_html
    assert after_code == "<p>The text.</p>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "Let $$a_i + b_j$$ and $$\\{x\\}$$ be.",
            "<p>Let $$a_i + b_j$$ and $$\\{x\\}$$ be.</p>",
            id="inline-underscores-and-escaped-braces-kept",
        ),
        pytest.param(
            "$$\n\\frac{a_1}{b_2} \\\\\nx_1 & y < 2\n$$\n",
            "<p>$$\n\\frac{a_1}{b_2} \\\\\nx_1 &amp; y &lt; 2\n$$</p>",
            id="display-block-escaped-only-for-html",
        ),
        pytest.param(
            "`$$a_b$$` and _em $$x_y$$ em_",
            "<p><code>$$a_b$$</code> and <em>em $$x_y$$ em</em></p>",
            id="in-code-and-em",
        ),
        pytest.param("costs \\$$5, or $$$", "<p>costs \\$$5, or $$$</p>", id="no-math-without-a-pair"),
    ],
)
def test_tex_math_between_double_dollars_is_kept_as_written(body: str, expected: str) -> None:
    assert Renderer().render(article(body)).content_html == expected


def test_tex_math_can_be_turned_off() -> None:
    html = Renderer(tex_math=False).render(article("$$\\{x\\} _a_ b$$")).content_html
    assert html == "<p>$${x} <em>a</em> b$$</p>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("$$y_2$$\n", "\\[y_2\\]", id="display-math-alone-in-a-paragraph"),
        pytest.param("Inline $$x_1$$.\n", "<p>Inline \\(x_1\\).</p>", id="inline-math"),
        pytest.param("$$\na_1 \\\\\nb\n$$\n", "\\[a_1 \\\\\nb\\]", id="display-math-over-lines"),
        pytest.param("`$$no_x$$`\n", "<p><code>$$no_x$$</code></p>", id="math-in-code-is-code"),
        pytest.param(
            '<img src="/a.png">\n', '<p><img src="https://example.org/a.png"></p>', id="lone-img-in-a-paragraph"
        ),
        pytest.param(
            "![x](/a.png){:width=\"100%\" style='float:left'}\n",
            '<p><img src="https://example.org/a.png" alt="x" width="100%" style="float:left"></p>',
            id="image-attributes-kept",
        ),
        pytest.param(
            "![Let's -- \"go\"...](/a.png) 'x'\n",
            '<p><img src="https://example.org/a.png" alt="Let\'s -- &quot;go&quot;..."> ‘x’</p>',
            id="alt-text-as-written",
        ),
        pytest.param(
            '[x](/a.html){:target="_blank"}\n', '<p><a href="https://example.org/a.html">x</a></p>', id="link-ial-cut"
        ),
        pytest.param("Para\n{: .note}\n", "<p>Para</p>", id="block-attribute-list-line-cut"),
        pytest.param("3. three\n4. four\n", "<ol>\n<li>three</li>", id="ordered-list-from-one"),
        pytest.param("~one~ ~~two~~\n", "<p>~one~ <del>two</del></p>", id="strike-only-with-two-tildes"),
    ],
)
def test_the_jekyll_preset_renders_as_kramdown(body: str, expected: str) -> None:
    html = Renderer().render(article(body, markdown="jekyll")).content_html
    assert html.startswith(expected), html
    assert "{:" not in html


def test_the_commonmark_engine_frees_what_it_renders() -> None:
    """cmarkgfm's own wrapper loses the parsed document and the HTML of every conversion (some 70 KB
    an article); 3,000 conversions of a 10 KB text would then grow the process by far more than 40 MB."""
    script = """
import resource
from feedpub.render import make_engine
engine = make_engine("commonmark", {}, {})
text = ("## A heading\\n\\nA paragraph with *emphasis*, `code` and a [link](/a/). " * 12 + "\\n\\n") * 10
engine.convert(text)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for _ in range(3000):
    engine.convert(text)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""
    grown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert int(grown) < 40, f"the process grew by {grown.strip()} MB"
