"""Hostile sizes and shapes build or are refused clearly; bench/hostile.py measures how long they take."""

from __future__ import annotations

import pytest
from conftest import SITE_CONFIG, Invoke, SiteDir, parse_feed

from feedpub import build_feeds, load_site

FRONT = "---\ntitle: {title}\ndate: 2026-01-01\n---\n"
PYTHON_MARKDOWN = SITE_CONFIG + '[build]\nmarkdown = "python-markdown"\n'


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        pytest.param(("A sentence of words. " * 40 + "\n\n") * 12_000, "A sentence of words.", id="10-MB-article"),
        pytest.param("word " * 200_000 + "end\n", "word end", id="1-MB-line"),
        pytest.param("short line\n" * 100_000, "short line\nshort line", id="100000-lines"),
        pytest.param("<div>" * 1000 + "x" + "</div>" * 1000, "<div><div>x</div>", id="nested-html"),
        pytest.param("".join("    " * i + "- item\n" for i in range(60)), "<li>item", id="lists-60-deep"),
    ],
)
def test_big_and_deep_articles_build(site: SiteDir, body: str, needle: str) -> None:
    site.article("big.md", FRONT.format(title="Big") + body)
    files = build_feeds(load_site(site.config))
    assert needle in parse_feed(files["atom.xml"]).entries[0].content[0].value


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("".join("    " * i + "- item\n" for i in range(1000)), id="lists-1000-deep"),
        pytest.param(">" * 1000 + " deep\n", id="quotes-1000-deep"),
    ],
)
def test_absurd_nesting_is_refused_clearly_by_python_markdown(site: SiteDir, invoke: Invoke, body: str) -> None:
    site.write_config(PYTHON_MARKDOWN)
    site.article("deep.md", FRONT.format(title="Deep") + body)
    result = invoke("build", cwd=site.root, code=1)
    assert "articles/deep.md:" in result.stderr
    assert "the body nests lists, quotes or HTML more than 100 levels deep; flatten it" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("".join("  " * i + "- item\n" for i in range(1000)), id="lists-1000-deep"),
        pytest.param(">" * 1000 + " deep\n", id="quotes-1000-deep"),
        pytest.param("*a " * 5000 + "_b " * 5000, id="10000-open-emphasis"),
        pytest.param("[" * 10_000 + "x" + "](y)" * 10_000, id="10000-nested-links"),
    ],
)
def test_commonmark_renders_absurd_nesting(site: SiteDir, body: str) -> None:
    """cmark-gfm renders in linear time: what Python-Markdown must refuse, it builds (bench/hostile.py times it)."""
    site.article("deep.md", FRONT.format(title="Deep") + body)
    [entry] = parse_feed(build_feeds(load_site(site.config))["atom.xml"]).entries
    assert entry.content[0].value


def test_ten_thousand_articles(site: SiteDir) -> None:
    for number in range(10_000):
        (site.articles / f"a{number:05d}.md").write_text(
            FRONT.format(title=f"Article {number}") + "Body.\n", encoding="utf-8"
        )
    loaded = load_site(site.config)
    assert len(loaded.articles) == 10_000
    assert len(parse_feed(build_feeds(loaded)["rss.xml"]).entries) == 20


def test_forbidden_characters_go_with_a_warning_and_the_rest_survives(site: SiteDir, invoke: Invoke) -> None:
    site.article(
        "x.md",
        '---\ntitle: "Bell\\a and \\x85 next"\ndate: 2026-01-01\nsummary: "Tab\\tkept, \\uffff gone"\n---\n'
        "Raw\x0bvertical tab.\n\n`]]>` and `<script>alert(1)</script>` &amp; 👩🏽‍💻 مرحبا e\u0301\n",
    )
    result = invoke("build", cwd=site.root)
    assert "articles/x.md:2: warning: 'title' holds control characters XML forbids (U+0007); they were removed" in (
        result.stderr
    )
    assert "articles/x.md:4: warning: 'summary' holds control characters XML forbids (U+FFFF)" in result.stderr
    assert "articles/x.md:6: warning: the body holds control characters XML forbids (U+000B)" in result.stderr
    for name in ("rss.xml", "atom.xml"):
        [entry] = parse_feed((site.feeds / name).read_bytes()).entries
        assert entry.title == "Bell and  next"
        assert entry.content[0].value.startswith("<p>Rawvertical tab.</p>")
        assert "<code>]]&gt;</code>" in entry.content[0].value
        assert "&amp; 👩🏽‍💻 مرحبا e\u0301" in entry.content[0].value
    atom = (site.feeds / "atom.xml").read_text(encoding="utf-8")
    assert "&lt;code&gt;&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;&lt;/code&gt;" in atom


def test_markdown_that_python_markdown_garbles_is_refused_at_its_line(site: SiteDir, invoke: Invoke) -> None:
    # Python-Markdown 3.x leaks its "klzzwxh" placeholder (with STX/ETX, which XML forbids) for `_`
    # emphasis around an escaped backslash; the text it stood for would be lost. Found in a real blog's
    # LaTeX-heavy post, where it used to end in a traceback from the XML writer.
    site.write_config(PYTHON_MARKDOWN)
    garbled = "__x_ y_z\\\\_w_\n"
    site.article("body.md", FRONT.format(title="Body") + "Fine.\n\nStill fine\nacross lines.\n\n \n" + garbled)
    site.article("summary.md", '---\ntitle: S\ndate: 2026-01-01\nsummary: "__x_ y_z\\\\\\\\_w_"\n---\nok\n')
    site.article("points.md", FRONT.format(title="P").replace("---\n", "---\nkey_points: ['__x_ y_z\\\\_w_']\n", 1))
    site.article("fixed.md", FRONT.format(title="Fixed") + "\\_\\_x\\_ y\\_z\\\\\\_w\\_\n")
    result = invoke("check", cwd=site.root, code=1)
    assert "Traceback" not in result.stderr
    assert "articles/body.md:11: error: Python-Markdown garbles this paragraph" in result.stderr
    assert "escape the underscores (`\\_`) or put the text in backticks" in result.stderr
    assert "articles/summary.md: error: the summary: Python-Markdown garbles" in result.stderr
    assert "articles/points.md: error: the key points: Python-Markdown garbles" in result.stderr
    assert "fixed.md" not in result.stderr
    assert result.stderr.endswith("feedpub: 3 errors; no feed was changed\n")


def test_the_escaped_form_of_a_garbled_paragraph_comes_through_exactly(site: SiteDir) -> None:
    site.write_config(PYTHON_MARKDOWN)
    site.article("fixed.md", FRONT.format(title="Fixed") + "\\_\\_x\\_ y\\_z\\\\\\_w\\_\n")
    content = parse_feed(build_feeds(load_site(site.config))["atom.xml"]).entries[0].content[0].value
    assert content == "<p>__x_ y_z\\_w_</p>"
