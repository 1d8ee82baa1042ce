"""The newsroom plain-text layout: parsed into parts, written as an article that reads back the same."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import markdown
import pytest
from conftest import TESTS
from hypothesis import given
from hypothesis import strategies as st

from feedpub.errors import LineError
from feedpub.frontmatter import normalize, split
from feedpub.newsroom import Story, escape_markdown, parse_story, story_markdown

NEWSROOM = TESTS / "newsroom"

# fixture -> (headline, standfirst, key points, paragraphs)
CASES: dict[str, tuple[str, str | None, tuple[str, ...], tuple[str, ...]]] = {
    "key-points-double-bullets.txt": (
        "City library opens its full archive as web feeds",
        "The city library now publishes every one of its 40,000 catalogue notices as RSS and Atom feeds.",
        ("Every catalogue notice since 1998 is available.", "Readers can follow single subjects."),
        (
            "The library’s digital team switched on the feeds on Thursday — after a month of testing.",
            "“Now the feed is the newsletter,” she said.",
        ),
    ),
    "highlights-indented-dashes.txt": (
        "Harbour bridge reopens after repairs",
        "The bridge reopened to traffic on Monday morning.",
        ("Both lanes are open again.", "Cyclists get a separate path."),
        ("Work finished two weeks early.",),
    ),
    "no-key-points.txt": (
        "Council approves new budget",
        "The council approved the budget by 31 votes to 12.",
        (),
        ("The debate lasted six hours.",),
    ),
    "crlf-bom-key-takeaways.txt": (
        "Storm warning lifted",
        "The weather service lifted its storm warning.",
        ("Schools reopen tomorrow.", "Ferries run again."),
        ("Forecasters expect calm days.",),
    ),
    "headline-only.txt": ("Only a headline here", None, (), ()),
    "wrapped-key-points.txt": (
        "Rail strike ends",
        "Unions and the operator agreed a deal overnight.",
        (
            "Trains run to the normal timetable from Wednesday morning.",
            "Season tickets are extended by three days.",
        ),
        ("Talks had lasted a week.",),
    ),
    "markdown-lookalikes.txt": (
        "# Not a heading: the *stars* and _underscores_ stay",
        "1. This standfirst starts like a list, with <b>tags</b> & ampersands.",
        (),
        ("> Not a quote; [not a link](x) and `not code`.", "- Not a bullet either; 100 \\ 3 = 33 1/3."),
    ),
    "unicode-rtl-emoji.txt": (
        "東京で新しい図書館が開館 📚",
        "新しい図書館は月曜日に開館しました。 مرحبا بالعالم",
        ("蔵書は五万冊です。", "كتب عربية أيضاً"),
        ("Combining: e\u0301 é; emoji 👩🏽‍💻 and “quotes” — kept.",),
    ),
}


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in NEWSROOM.iterdir()) == sorted([*CASES, "blank.txt"])


def read(name: str) -> Story:
    return parse_story(normalize((NEWSROOM / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize(("name", "parts"), [pytest.param(n, p, id=n[:-4]) for n, p in CASES.items()])
def test_parts(name: str, parts: tuple[str, str | None, tuple[str, ...], tuple[str, ...]]) -> None:
    story = read(name)
    assert (story.headline, story.standfirst, story.key_points, story.paragraphs) == parts


def test_blank_file_is_an_error() -> None:
    with pytest.raises(LineError, match="is empty; a newsroom article starts with its headline"):
        read("blank.txt")


def rendered_paragraphs(text: str) -> list[str]:
    out = markdown.Markdown(extensions=["extra", "sane_lists"]).convert(text)
    paragraphs = re.findall(r"<p>(.*?)</p>", out, re.S)
    assert "".join(f"<p>{p}</p>" for p in paragraphs) == out.replace("\n", ""), out
    return [html.unescape(p) for p in paragraphs]


@pytest.mark.parametrize("name", [pytest.param(n, id=n[:-4]) for n in CASES])
def test_written_article_reads_back_the_same(name: str) -> None:
    story = read(name)
    when = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
    text = story_markdown(story, date=when, authors=["Mara Keller"], tags=["news", "yes"])
    front = split(text)
    assert front.meta["title"] == story.headline
    assert front.meta["date"] == "2026-11-20T07:30:00+00:00"
    assert front.meta["author"] == "Mara Keller"
    assert front.meta["tags"] == ["news", "yes"]
    if story.standfirst:
        assert rendered_paragraphs(front.meta["summary"]) == [story.standfirst]
    assert [rendered_paragraphs(p)[0] for p in front.meta.get("key_points", [])] == list(story.key_points)
    assert rendered_paragraphs(front.body) == list(story.paragraphs)


# Pieces of Markdown and HTML syntax, mixed with arbitrary text, so that markup really is tried.
MARKUP = st.sampled_from(
    [
        "*",
        "**",
        "_",
        "`",
        "[",
        "](",
        ")",
        "<b>",
        "</b>",
        "&amp;",
        "&",
        "<",
        ">",
        "# ",
        "1. ",
        "> ",
        "- ",
        "+ ",
        "\\",
        "{",
        "}",
        ":",
        "|",
        "=",
        "~",
        "^",
        "!",
        "[^1]",
        "*[",
        "]:",
        "<!--",
        "-->",
        " ",
        "a",
        "b",
    ]
)
ANY = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=4)


@given(st.lists(st.one_of(MARKUP, ANY), min_size=1).map("".join))
def test_escaped_text_renders_as_itself(text: str) -> None:
    if not text or not text.strip():
        return
    text = " ".join(text.split())
    assert rendered_paragraphs(escape_markdown(text)) == [text]
