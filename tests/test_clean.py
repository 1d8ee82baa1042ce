"""Content as every reader shows it: cleaned to what the W3C validator's HTML check accepts, URLs absolute."""

from __future__ import annotations

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from feedpub import load_site
from feedpub.render import Renderer
from feedpub.render.clean import ELEMENTS, clean_html
from feedpub.render.markup import plain_text

BASE = "https://example.org/2026/05/post/"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>", id="script-and-its-code-go"),
        pytest.param("<style>p{color:red}</style><p>a</p>", "<p>a</p>", id="style-element-goes"),
        pytest.param('<link rel="stylesheet" href="x.css"><meta charset="utf-8"><p>a</p>', "<p>a</p>", id="link-meta"),
        pytest.param('<form action="/x"><input name="q"><button>Go</button></form><p>a</p>', "<p>a</p>", id="form"),
        pytest.param('<p onclick="x()" onmouseover="y()">a</p>', "<p>a</p>", id="event-handlers"),
        pytest.param('<a href="javascript:alert(1)">a</a>', "<a>a</a>", id="javascript-url"),
        pytest.param("<p>a<!-- note -->b</p>", "<p>ab</p>", id="comments"),
        pytest.param("<b><i>x</b></i>", "<b><i>x</i></b>", id="bad-nesting-repaired-by-the-parser"),
        pytest.param("<blink>old</blink> <custom-el>x</custom-el>", "old x", id="unknown-elements-keep-their-text"),
        pytest.param("<svg><text>drawn</text></svg><p>a</p>", "<p>a</p>", id="svg-is-not-html-to-the-validator"),
        pytest.param(
            '<p style="color: red; position: fixed; max-width: 50%">a</p>',
            '<p style="color:red">a</p>',
            id="style-kept",
        ),
        pytest.param('<p style="background: url(x.png)">a</p>', "<p>a</p>", id="style-with-a-url-goes"),
        pytest.param('<p style="width: expression(alert(1))">a</p>', "<p>a</p>", id="style-expression-goes"),
        pytest.param('<p style="margin: 0 auto">a</p>', '<p style="margin:0 auto">a</p>', id="box-keywords-kept"),
        pytest.param(
            '<li><input type="checkbox" checked disabled> done</li>',
            '<li><input type="checkbox" checked="" disabled=""> done</li>',
            id="task-list-box-kept",
        ),
        pytest.param(
            '<iframe src="https://www.youtube.com/embed/xyz" width="560"></iframe>',
            '<p><a href="https://www.youtube.com/embed/xyz">Embedded content: youtube.com</a></p>',
            id="iframe-becomes-a-link",
        ),
        pytest.param(
            '<p>See <embed src="/media/map.swf"> here</p>',
            '<p>See <a href="https://example.org/media/map.swf">Embedded content: /media/map.swf</a> here</p>',
            id="embed-becomes-a-link-made-absolute",
        ),
        pytest.param(
            '<a href="../x/">x</a> <img src="i.png" srcset="i.png 1x, /j.png 2x"> <a href="#fn-1">1</a>',
            '<a href="https://example.org/2026/05/x/">x</a> '
            '<img src="https://example.org/2026/05/post/i.png" '
            'srcset="https://example.org/2026/05/post/i.png 1x, https://example.org/j.png 2x"> '
            '<a href="https://example.org/2026/05/post/#fn-1">1</a>',
            id="urls-absolute",
        ),
        pytest.param('<a href="">no</a> <img src=" " alt="x">', '<a>no</a> <img alt="x">', id="empty-urls-go"),
        pytest.param(
            '<p style="border: none !important; margin: 0px !IMPORTANT">a</p>',
            '<p style="border:none;margin:0px">a</p>',
            id="important-goes",
        ),
        pytest.param("<p>Lost: \ufffd\ufffd.</p>", "<p>Lost: .</p>", id="replacement-characters-go"),
        pytest.param(
            '<iframe src="https://[::1/embed"></iframe>',
            "<p><a>Embedded content: https://[::1/embed</a></p>",  # ammonia drops the link it cannot read
            id="iframe-of-an-unreadable-url-named-as-written",
        ),
        pytest.param('<a href="//[x/">x</a>', '<a href="//[x/">x</a>', id="unreadable-url-kept-as-written"),
    ],
)
def test_cleaned_as_readers_accept_it(html: str, expected: str) -> None:
    assert clean_html(html, BASE) == expected


def test_the_sample_articles_read_the_same_once_cleaned() -> None:
    """Where nothing was unsafe, cleaning changes no visible text (the sample articles)."""
    site = load_site(ROOT / "feedpub.toml")
    renderer = Renderer.for_site(site.config, site.articles)
    for article in site.articles:
        raw = renderer.engine(article.markdown).convert(article.body)
        assert plain_text(clean_html(raw, article.url)) == plain_text(raw), article.path.name


HOSTILE = st.lists(
    st.sampled_from(
        [
            "<p>", "</p>", "<div>", "</div>", "<b>", "</i>", "<script>x()</script>", "<style>a{}</style>",
            '<img src="a.png" onerror="x()">', '<a href="javascript:x()">', "</a>", "<iframe src=//v.example/1>",
            "<object data=m.swf>", "</object>", "<form><input>", "</form>", '<p style="position:fixed">',
            "<svg><circle/></svg>", "<math><mi>x</mi></math>", "<table><tr><td>c", "<!--", "-->", "text", "&amp;",
            "<", ">", "<template>t</template>", "<meta http-equiv=refresh>", "<base href=//evil/>",
        ]
    ),
    max_size=20,
).map("".join)  # fmt: skip


@given(html=HOSTILE)
def test_whatever_comes_in_only_what_readers_accept_comes_out(html: str) -> None:
    cleaned = clean_html(html, BASE)
    tree = etree.fromstring(f"<html><body>{cleaned}</body></html>", etree.HTMLParser())
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body"):
            continue
        assert element.tag in ELEMENTS, element.tag
        for name, value in element.attrib.items():
            assert not name.startswith("on"), name
            if name in ("href", "src"):
                assert value.startswith(("https://", "http://", "mailto:")), value
    assert "<script" not in cleaned and "<style" not in cleaned and "javascript:" not in cleaned


def test_threads_that_clean_at_once_keep_their_own_bases() -> None:
    """The cleaner is made once; the base its hook resolves against belongs to the thread cleaning."""
    from concurrent.futures import ThreadPoolExecutor

    html = "".join(f'<p><a href="page-{n}/">{n}</a> <img src="/img/{n}.png"></p>' for n in range(200))

    def cleaned(site: int) -> tuple[int, str]:
        return site, clean_html(html, f"https://site{site}.example/posts/{site}/")

    with ThreadPoolExecutor(max_workers=8) as pool:
        for site, result in pool.map(cleaned, [n % 8 for n in range(64)]):
            assert result.count(f"https://site{site}.example/posts/{site}/page-") == 200
            assert result.count(f"https://site{site}.example/img/") == 200
            assert "site" not in result.replace(f"site{site}.example", "")


def test_a_site_root_link_resolves_against_each_base_of_its_own() -> None:
    """ "/about" is resolved once per site root (cached), never with another site's root."""
    assert 'href="https://a.example/about"' in clean_html('<a href="/about">a</a>', "https://a.example/x/")
    assert 'href="https://b.example:8080/about"' in clean_html('<a href="/about">a</a>', "https://b.example:8080/y/")
    assert 'href="https://c.example/q/about"' in clean_html('<a href="about">a</a>', "https://c.example/q/")
