"""The newsroom plain-text layout: parsed into parts, written as an article that reads back the same."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import TESTS, SiteDir
from hypothesis import given
from hypothesis import strategies as st

from feedpub import load_site
from feedpub.errors import LineError
from feedpub.read.frontmatter import split
from feedpub.read.newsroom import Story, escape_markdown, parse_story, story_markdown
from feedpub.render import make_engine

NEWSROOM = TESTS / "newsroom"
WHEN = datetime(2026, 11, 20, 7, 30, tzinfo=timezone(timedelta(hours=1)))

# fixture -> the story it holds (warnings are checked on their own, in WARNINGS)
CASES: dict[str, Story] = {
    "key-points-double-bullets.txt": Story(
        "City library opens its full archive as web feeds",
        "The city library now publishes every one of its 40,000 catalogue notices as RSS and Atom feeds.",
        ("Every catalogue notice since 1998 is available.", "Readers can follow single subjects."),
        (
            "The library’s digital team switched on the feeds on Thursday — after a month of testing.",
            "“Now the feed is the newsletter,” she said.",
        ),
    ),
    "highlights-indented-dashes.txt": Story(
        "Harbour bridge reopens after repairs",
        "The bridge reopened to traffic on Monday morning.",
        ("Both lanes are open again.", "Cyclists get a separate path."),
        ("Work finished two weeks early.",),
    ),
    "no-key-points.txt": Story(
        "Council approves new budget",
        "The council approved the budget by 31 votes to 12.",
        (),
        ("The debate lasted six hours.",),
    ),
    "crlf-bom-key-takeaways.txt": Story(
        "Storm warning lifted",
        "The weather service lifted its storm warning.",
        ("Schools reopen tomorrow.", "Ferries run again."),
        ("Forecasters expect calm days.",),
    ),
    "cr-line-ends-tabs-nbsp.txt": Story(
        "Prices rise\tagain",
        "Inflation rose to 3\u00a0% in May.",
        ("Food\tup 5\u00a0%", "Energy down"),
        ("The bank\u00a0meets next week.",),
    ),
    "headline-only.txt": Story("Only a headline here", None, (), ()),
    "headline-then-blank-lines.txt": Story(
        "Ferry timetable changes",
        "Ferries run every 20 minutes from Monday.",
        (),
        ("The old timetable ends on Sunday.",),
    ),
    "wrapped-key-points.txt": Story(
        "Rail strike ends",
        "Unions and the operator agreed a deal overnight.",
        (
            "Trains run to the normal timetable from Wednesday morning.",
            "Season tickets are extended by three days.",
        ),
        ("Talks had lasted a week.",),
    ),
    "key-points-separated-by-blank-lines.txt": Story(
        "Museum reopens its east wing",
        "The east wing is open again after two years.",
        ("New lifts reach every floor.", "Entry stays free."),
        ("– Visitors can come back, “and they should,” the director said.",),
    ),
    "key-points-without-bullets.txt": Story(
        "Water restrictions end",
        "The ban on garden hoses ends today.",
        ("Reservoirs are 90% full.", "Car washes may reopen."),
        ("Rain is forecast for the weekend.",),
    ),
    "key-points-heading-without-bullets-warns.txt": Story(
        "Town hall closed on Friday",
        "The town hall is closed for a staff day.",
        (),
        ("Services reopen on Monday.",),
    ),
    "long-headline-warns.txt": Story("The " + "very " * 70 + "long line.", "A standfirst.", (), ()),
    "paragraph-as-headline-warns.txt": Story(
        "The council met on Tuesday evening and, after a debate that went on for more than six hours, "
        "voted to close the old swimming pool at the end of the year.",
        "The pool opened in 1962.",
        (),
        (),
    ),
    "markdown-lookalikes.txt": Story(
        "# Not a heading: the *stars* and _underscores_ stay",
        "1. This standfirst starts like a list, with <b>tags</b> & ampersands.",
        (),
        ("> Not a quote; [not a link](x) and `not code`.", "- Not a bullet either; 100 \\ 3 = 33 1/3."),
    ),
    "html-and-entities-shown-as-written.txt": Story(
        "<script>alert(1)</script> & friends",
        "AT&T writes &amp; and &copy; and <b>bold</b> as plain text.",
        ("<!-- not a comment -->", "Link: <https://example.org/>"),
        ("1984. = : ~~~ | table | and {: .class} stay text.",),
    ),
    "indented-body-not-code.txt": Story(
        "Code club opens",
        "The standfirst was indented by four spaces.",
        (),
        ("def main(): return 1", "Tabbed line, not code either."),
    ),
    "unicode-rtl-emoji.txt": Story(
        "東京で新しい図書館が開館 📚",
        "新しい図書館は月曜日に開館しました。 مرحبا بالعالم",
        ("蔵書は五万冊です。", "كتب عربية أيضاً"),
        ("Combining: e\u0301 é; emoji 👩🏽‍💻 and “quotes” — kept.",),
    ),
}

# fixture -> (line, what the warning says); fixtures not named here have no warnings
WARNINGS: dict[str, tuple[int, str]] = {
    "key-points-heading-without-bullets-warns.txt": (5, "the heading 'Key Points' has no bullet lines under it"),
    "long-headline-warns.txt": (1, "the headline is 364 characters long; if the first line is a paragraph"),
    "paragraph-as-headline-warns.txt": (1, "the headline is a sentence of 31 words; if the first line is a paragraph"),
}

# Written out in full, to show the article and its escaping (refresh: pytest --update-golden).
GOLDEN = ["key-points-double-bullets.txt", "markdown-lookalikes.txt", "html-and-entities-shown-as-written.txt"]


def read(name: str) -> Story:
    return parse_story((NEWSROOM / name).read_bytes().decode("utf-8"))


def each(names: list[str]) -> list[object]:
    return [pytest.param(name, id=name.removesuffix(".txt")) for name in names]


# Every engine an imported story may be rendered with, by the preset of the site's [build] markdown.
ENGINES = {
    preset: make_engine(preset, {}) for preset in ("python-markdown", "pelican", "commonmark+smart", "hugo", "eleventy")
}


def rendered_paragraphs(text: str) -> list[str]:
    """The text of each <p> that Markdown makes of `text`, which must make nothing else, the same in every engine."""
    found = {}
    for preset, engine in ENGINES.items():
        out = engine.convert(text).rstrip("\n")
        paragraphs = re.findall(r"<p>(.*?)</p>", out, re.S)
        assert "\n".join(f"<p>{p}</p>" for p in paragraphs) == out, (preset, out)
        # An e-mail address is a link where autolinks are on, whatever its escapes; its text stays.
        found[preset] = [html.unescape(re.sub(r"</?a\b[^>]*>", "", p)) for p in paragraphs]
    first = found["python-markdown"]
    assert all(paragraphs == first for paragraphs in found.values()), found
    return first


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in NEWSROOM.glob("*.txt")) == sorted([*CASES, "blank.txt"])
    assert sorted(p.name for p in NEWSROOM.glob("*.md")) == sorted(n.replace(".txt", ".md") for n in GOLDEN)


@pytest.mark.parametrize("name", each(list(CASES)))
def test_parts(name: str) -> None:
    story = read(name)
    assert dataclasses.replace(story, warnings=()) == CASES[name]
    if name in WARNINGS:
        [(line, message)] = story.warnings
        assert (line, message[: len(WARNINGS[name][1])]) == WARNINGS[name]
    else:
        assert story.warnings == ()


def test_blank_file_is_an_error() -> None:
    with pytest.raises(LineError, match="is empty; a newsroom article starts with its headline") as error:
        read("blank.txt")
    assert error.value.line == 1


@pytest.mark.parametrize("name", each(list(CASES)))
def test_written_article_reads_back_the_same(name: str) -> None:
    story = read(name)
    front = split(story_markdown(story, date=WHEN, authors=["Mara Keller"], tags=["news", "Yes"]))
    assert front.meta["title"] == story.headline
    assert front.meta["date"] == "2026-11-20T07:30:00+01:00"
    assert (front.meta["author"], front.meta["tags"]) == ("Mara Keller", ["news", "Yes"])
    # Summary and key points are Markdown in feedpub: escaped, they render as the plain text.
    summary = front.meta.get("summary")
    assert (rendered_paragraphs(summary) if summary is not None else None) == (
        [story.standfirst] if story.standfirst else None
    )
    if summary is not None and not re.search(r"[\\`*_{}\[\]<&#>+=:~|-]|\d\.|\t", story.standfirst or ""):
        assert summary == story.standfirst
    points = front.meta.get("key_points", [])
    assert [p for point in points for p in rendered_paragraphs(point)] == list(story.key_points)
    assert rendered_paragraphs(front.body) == list(story.paragraphs)


@pytest.mark.parametrize("name", each(list(CASES)))
def test_feedpub_reads_the_written_article(name: str, site: SiteDir) -> None:
    story = read(name)
    site.article("story.md", story_markdown(story, date=WHEN, authors=["Mara Keller", "Jo Ng"], tags=["news"]))
    [article] = load_site(site.config).articles
    assert article.title == story.headline
    assert [a.name for a in article.authors] == ["Mara Keller", "Jo Ng"]
    assert (article.date, article.tags) == (WHEN, ("news",))
    assert len(article.key_points) == len(story.key_points)


@pytest.mark.parametrize("name", each(GOLDEN))
def test_golden_article(name: str, update_golden: bool) -> None:
    written = story_markdown(read(name), date=WHEN, authors=["Mara Keller"], tags=["news"])
    golden = NEWSROOM / name.replace(".txt", ".md")
    if update_golden:
        golden.write_bytes(written.encode("utf-8"))
    assert written == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("authors", "tags", "expected"),
    [
        pytest.param([], [], "", id="no-author-no-tags"),
        pytest.param(["Mara Keller"], [], "author: Mara Keller\n", id="one-author-is-a-name"),
        pytest.param(["Smith, Jr.", " "], [], "author: Smith, Jr.\n", id="a-comma-stays-in-one-name"),
        pytest.param(["A", "B", "A"], [], "authors:\n- A\n- B\n", id="several-authors-are-a-list"),
        pytest.param([], ["1984", "no", "#1"], "tags:\n- '1984'\n- 'no'\n- '#1'\n", id="tags-quoted-when-needed"),
    ],
)
def test_people_and_tags(authors: list[str], tags: list[str], expected: str) -> None:
    text = story_markdown(Story("Title", None, (), ()), date=WHEN, authors=authors, tags=tags)
    assert text == f"---\ntitle: Title\ndate: '2026-11-20T07:30:00+01:00'\n{expected}---\n"


def test_a_date_without_offset_is_a_bug() -> None:
    with pytest.raises(ValueError, match="has no UTC offset"):
        story_markdown(Story("Title", None, (), ()), date=datetime(2026, 1, 1))


@pytest.mark.parametrize(
    "title",
    [
        pytest.param(title, id=title)
        for title in [
            *["Yes", "no", "1984", "3.14", "2026-01-01", "null", "~", "#1", ": colon", "- dash", '"quotes"'],
            *["'single'", "a: b", "[list]", "{map}", "&anchor", "*alias", "!tag", "%percent", "@at", "`tick`"],
        ]
    ],
)
def test_yaml_lookalike_titles_survive(title: str) -> None:
    text = story_markdown(Story(title, title, (title,), ()), date=datetime(2026, 1, 1, tzinfo=UTC))
    meta = split(text).meta
    assert meta["title"] == title
    assert rendered_paragraphs(meta["summary"]) == [title]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        pytest.param("a * b _c_ `d` [e](f) \\", "a \\* b \\_c\\_ \\`d\\` \\[e\\](f) \\\\", id="inline-markup"),
        pytest.param("<b>AT&T</b> &amp;", "&lt;b>AT&amp;T&lt;/b> &amp;amp;", id="html-and-entities"),
        pytest.param("1. first", "1\\. first", id="ordered-list"),
        pytest.param("2026. A year", "2026\\. A year", id="a-year-and-a-full-stop"),
        pytest.param("# - + > |", "\\# - + > |", id="only-the-line-start"),
        pytest.param("= : ~", "&#61; : &#126;", id="references-where-backslash-shows"),
        pytest.param(
            '"It\'s" -- ok... ~~no~~ www.x.org http://x.org a@b.org',
            "&#34;It&#39;s&#34; -&#45; ok..&#46; &#126;&#126;no&#126;&#126; www&#46;x.org http&#58;//x.org a@b.org",
            id="smart-punctuation-strikethrough-and-autolinks",
        ),
        pytest.param("a\tb", "a&#9;b", id="tab-kept-as-a-reference"),
        pytest.param("    code?", "code?", id="indent-stripped"),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped
    assert rendered_paragraphs(escaped) == [text.strip()]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Heading?\n===", id="setext-equals"),
        pytest.param("Heading?\n---", id="setext-dashes"),
        pytest.param("Term\n: definition", id="definition-list"),
        pytest.param("a | b\n--- | ---\n1 | 2", id="table-without-border"),
        pytest.param("| a |\n|:-:|", id="table-with-border"),
        pytest.param("~~~\ncode\n~~~", id="fence-tildes"),
        pytest.param("text\n    indented", id="indented-line"),
        pytest.param("[x]: https://example.org\n[x]", id="reference-link"),
        pytest.param("*[HTML]: Hyper\nHTML", id="abbreviation"),
        pytest.param("a\n* b\n1. c", id="list-after-text"),
    ],
)
def test_escape_markdown_multiline_stays_one_paragraph(text: str) -> None:
    assert rendered_paragraphs(escape_markdown(text)) == ["\n".join(line.strip() for line in text.split("\n"))]


# Pieces of Markdown and HTML syntax, mixed with arbitrary text, so that markup really is tried.
MARKUP = st.sampled_from(
    [
        *["*", "**", "_", "`", "```", "[", "](", ")", "![", "<b>", "</b>", "<http://x.org>", "&amp;", "&", "<", ">"],
        *["# ", "1. ", "1) ", "> ", "- ", "+ ", "= ", ": ", "~~~", "|", "\\", "{", "}", "{: .c}", "[^1]", "*[", "]:"],
        *["<!--", "-->", "    ", "\t", "\u00a0", "a", "b", "1"],
    ]
)
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=4)


@given(st.lists(st.one_of(MARKUP, TEXT), min_size=1).map("".join).map(str.strip).filter(bool))
def test_escaped_text_renders_as_itself(text: str) -> None:
    assert rendered_paragraphs(escape_markdown(text)) == [text]


# Controls too: the parser keeps them (feedpub removes those XML forbids later, with a warning).
@given(st.text(st.characters(blacklist_categories=["Cs"]), min_size=1).map(str.strip).filter(bool))
def test_any_headline_is_the_title(headline: str) -> None:
    assert split(story_markdown(Story(headline, None, (), ()), date=WHEN)).meta["title"] == headline


LAYOUT = st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\ufeff", "Key Points", "Highlights:", "• ", "• • ", "- ", "  "])


@given(st.lists(st.one_of(LAYOUT, MARKUP, TEXT)).map("".join))
def test_any_text_is_a_story_that_reads_back(text: str) -> None:
    if not text.removeprefix("\ufeff").strip():
        with pytest.raises(LineError):
            parse_story(text)
        return
    story = parse_story(text)
    front = split(story_markdown(story, date=WHEN))
    assert front.meta["title"] == story.headline
    assert rendered_paragraphs(front.body) == list(story.paragraphs)
    assert [p for point in front.meta.get("key_points", []) for p in rendered_paragraphs(point)] == list(
        story.key_points
    )
