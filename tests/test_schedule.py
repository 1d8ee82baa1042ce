"""Scheduling, summaries and key points as the feeds show them."""

from __future__ import annotations

import pytest
from conftest import Invoke, SiteDir, parse_feed

from feedpub import build_feeds, load_site
from feedpub.build.pipeline import make_schedule


def feed_titles(site: SiteDir, now: str, **flags: bool) -> list[str]:
    loaded = load_site(site.config)
    parsed = parse_feed(build_feeds(loaded, make_schedule(loaded.config, now, **flags))["atom.xml"])
    return [entry.title for entry in parsed.entries]


@pytest.fixture
def scheduled(site: SiteDir) -> SiteDir:
    site.article("past.md", "---\ntitle: Past\ndate: 2026-01-01\n---\nx\n")
    site.article("future.md", "---\ntitle: Future\ndate: 2026-12-24 18:00\n---\nx\n")
    site.article("publish.md", "---\ntitle: Later\ndate: 2026-01-02\npublishDate: 2026-06-01\n---\nx\n")
    site.article("expiring.md", "---\ntitle: Expiring\ndate: 2026-01-03\nexpiryDate: 2026-03-01\n---\nx\n")
    site.article("draft.md", "---\ntitle: Draft\ndate: 2026-01-04\ndraft: true\n---\nx\n")
    site.article("jekyll.md", "---\ntitle: Unpublished\ndate: 2026-01-05\npublished: false\n---\nx\n")
    site.article("pelican.md", "Title: Hidden\nDate: 2026-01-06\nStatus: hidden\n\nx\n")
    return site


@pytest.mark.parametrize(
    ("now", "flags", "expected"),
    [
        pytest.param("2026-02-01", {}, ["Expiring", "Past"], id="before-publish-date"),
        pytest.param("2026-03-01", {}, ["Past"], id="expired-at-its-moment"),
        pytest.param("2026-06-01", {}, ["Later", "Past"], id="publish-date-reached"),
        pytest.param("2026-12-24 17:59", {}, ["Later", "Past"], id="a-minute-early"),
        pytest.param("2026-12-24 18:00", {}, ["Future", "Later", "Past"], id="on-time"),
        pytest.param("2026-02-01", {"future": True}, ["Future", "Expiring", "Later", "Past"], id="future-flag"),
        pytest.param(
            "2026-02-01", {"drafts": True}, ["Hidden", "Unpublished", "Draft", "Expiring", "Past"], id="drafts-flag"
        ),
    ],
)
def test_schedule(scheduled: SiteDir, now: str, flags: dict[str, bool], expected: list[str]) -> None:
    assert feed_titles(scheduled, now, **flags) == expected


def test_future_article_never_dates_the_feed(scheduled: SiteDir) -> None:
    loaded = load_site(scheduled.config)
    for future in (False, True):
        files = build_feeds(loaded, make_schedule(loaded.config, "2026-02-01", future=future))
        assert parse_feed(files["atom.xml"]).feed.updated == "2026-01-03T00:00:00+01:00"  # Expiring's date


def test_now_must_be_a_date(scheduled: SiteDir, invoke: Invoke) -> None:
    result = invoke("build", "--now", "soon", cwd=scheduled.root, code=2)
    assert 'error: --now / --date: "soon" is not a date feedpub reads' in result.stderr


SUMMARY_CASES = [
    pytest.param("summary: Given.\n", "First para.\n\nSecond.\n", "<p>Given.</p>", id="explicit"),
    pytest.param("description: Hugo's.\n", "First.\n", "<p>Hugo’s.</p>", id="description-alias"),  # smart quotes
    pytest.param(
        "",
        "Intro *one*.\n\nMore.\n\n<!--more-->\n\nRest.\n",
        "<p>Intro <em>one</em>.</p>\n<p>More.</p>",
        id="more-separator",
    ),
    pytest.param("", "```\n<!--more-->\n```\n\nFirst.\n", "<p>First.</p>", id="separator-in-code-ignored"),
    pytest.param("", "w " * 70 + "\n", "<p>" + "w " * 59 + "w\u2026</p>", id="cut-at-60-words"),
    pytest.param("", "one <em>two three</em>\n", "<p>one <em>two three</em></p>", id="short-unchanged"),
]


@pytest.mark.parametrize(("front", "body", "summary"), SUMMARY_CASES)
def test_summary_chain(site: SiteDir, front: str, body: str, summary: str) -> None:
    site.article("a.md", f"---\ntitle: A\ndate: 2026-01-01\n{front}---\n{body}")
    entry = parse_feed(build_feeds(load_site(site.config))["atom.xml"]).entries[0]
    assert entry.summary == summary


def test_summary_word_limit_and_separator_are_configurable(site: SiteDir) -> None:
    site.write_config(
        site.config.read_text(encoding="utf-8") + '[build]\nsummary_words = 3\nexcerpt_separator = "[[cut]]"\n'
    )
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nOne **two three** four five.\n")
    site.article("b.md", "---\ntitle: B\ndate: 2026-01-02\n---\nKept [[cut]] dropped\n")
    entries = {e.title: e for e in parse_feed(build_feeds(load_site(site.config))["atom.xml"]).entries}
    assert entries["A"].summary == "<p>One <strong>two three\u2026</strong></p>"
    assert entries["B"].summary == "<p>Kept</p>"


def test_key_points_heading_and_summary(site: SiteDir) -> None:
    site.write_config(
        site.config.read_text(encoding="utf-8")
        + '[build]\nkey_points_heading = "Highlights"\nkey_points_in_summary = true\n'
    )
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\nsummary: S.\nkey_points: [One, Two]\n---\nBody.\n")
    entry = parse_feed(build_feeds(load_site(site.config))["atom.xml"]).entries[0]
    points = "<h2>Highlights</h2>\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n"
    assert entry.content[0].value == points + "<p>Body.</p>"
    assert entry.summary == "<p>S.</p>\n" + points.rstrip()
