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


def _flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def _block(depth: int) -> str:
    """Mappings nested `depth` deep under a key, in block style."""
    return "".join("  " * level + f"k{level}:\n" for level in range(1, depth)) + "  " * depth + "leaf\n"


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(f"extra: {_flow(999)}\n", id="yaml-flow-999-deep"),
        pytest.param("extra:\n" + _block(600), id="yaml-block-600"),
    ],
)
def test_deep_yaml_front_matter_reads(site: SiteDir, invoke: Invoke, extra: str) -> None:
    """YAML nests as deep as its parser allows; feedpub's own walk of it keeps its own stack, not Python's."""
    site.article("deep.md", "---\ntitle: Deep\ndate: 2026-01-01\n" + extra + "---\nBody.\n")
    result = invoke("build", cwd=site.root)
    assert "articles/deep.md:4: warning: 'extra': unknown key; it is left out of the feed" in result.stderr
    site.article("other.md", FRONT.format(title="Other").replace("01-01", "01-02") + "Body.\n")
    invoke("build", cwd=site.root)  # deep.md from the cache
    titles = [entry.title for entry in parse_feed((site.feeds / "atom.xml").read_bytes()).entries]
    assert titles == ["Other", "Deep"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            f"---\ntitle: Deep\nextra: {_flow(1500)}\n---\nBody.\n", "articles/deep.md:3: error: ", id="yaml-1500-deep"
        ),
        pytest.param(
            '{"title": "Deep", "extra": ' + _flow(5000) + "}\n\nBody.\n",
            "articles/deep.md:1: error: the JSON front matter nests lists or tables hundreds of levels deep, "
            "deeper than feedpub can read; flatten it",
            id="json-5000-deep",
        ),
        pytest.param(
            f'+++\ntitle = "Deep"\nextra = {_flow(5000)}\n+++\nBody.\n',
            "articles/deep.md:2: error: the front matter nests lists or tables hundreds of levels deep, "
            "deeper than feedpub can read; flatten it",
            id="toml-5000-deep",
        ),
    ],
)
def test_front_matter_nested_too_deep_is_refused_at_its_line(
    site: SiteDir, invoke: Invoke, text: str, expected: str
) -> None:
    site.article("fine.md", FRONT.format(title="Fine") + "Body.\n")
    invoke("build", cwd=site.root)
    before = (site.feeds / "atom.xml").read_bytes()
    site.article("deep.md", text)
    result = invoke("build", cwd=site.root, code=1)
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert (site.feeds / "atom.xml").read_bytes() == before


@pytest.mark.parametrize("key", ["date", "updated", "draft"])
def test_a_deep_value_is_quoted_short(site: SiteDir, invoke: Invoke, key: str) -> None:
    """A message quotes a bad value shortened: a value nested 900 deep is neither a traceback nor 2 KB of brackets."""
    date = "" if key == "date" else "date: 2026-01-01\n"
    site.article("deep.md", f"---\ntitle: Deep\n{date}{key}: {_flow(900)}\n---\nBody.\n")
    result = invoke("build", cwd=site.root, code=1)
    [line] = [line for line in result.stderr.splitlines() if line.startswith("articles/deep.md:")]
    assert f"error: '{key}' " in line and "[[[[...]]]]" in line and len(line) < 400


def test_a_config_nested_too_deep_is_refused_clearly(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + f"extra = {_flow(5000)}\n")
    result = invoke("build", cwd=site.root, code=1)
    assert (
        "feedpub.toml: error: nests lists or tables hundreds of levels deep, deeper than TOML readers go; flatten it"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
