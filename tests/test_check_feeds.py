"""`feedpub check --feeds`: what a build would write, checked as validators check it."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from conftest import ROOT, TESTS, Invoke

from feedpub import build_feeds, load_site
from feedpub.feeds.check import check_feeds

OUT = Path("feeds")


def test_the_sample_feeds_pass(invoke: Invoke) -> None:
    assert check_feeds(build_feeds(load_site(ROOT / "feedpub.toml")), OUT) == []
    result = invoke("check", "--feeds", cwd=ROOT)
    assert "no errors" in result.stderr


def test_the_shipped_atom_schema_is_rfc_4287s() -> None:
    assert (
        files("feedpub.feeds").joinpath("schemas/atom.rng").read_bytes()
        == (TESTS / "schemas" / "atom.rng").read_bytes()
    )


def test_broken_feeds_are_reported_at_their_lines() -> None:
    feeds = build_feeds(load_site(ROOT / "feedpub.toml"))
    atom = feeds["atom.xml"].replace(b"<id>", b"<identity>", 2).replace(b"</id>", b"</identity>", 2)
    rss = feeds["rss.xml"].replace(b"<guid", b"<nothing", 1).replace(b"</guid>", b"</nothing>", 1)
    rss = re.sub(rb"<pubDate>[^<]*</pubDate>", b"<pubDate>yesterday</pubDate>", rss, count=1)
    json_feed = feeds["feed.json"].replace(b'"date_published": "2026', b'"date_published": "26', 1)
    problems = check_feeds({"atom.xml": atom, "rss.xml": rss, "feed.json": json_feed}, OUT)
    shown = [problem.format() for problem in problems]
    assert any(line.startswith("feeds/atom.xml:") and "not valid Atom (RFC 4287)" in line for line in shown), shown
    assert any("feeds/rss.xml:" in line and "an item has no <guid>" in line for line in shown), shown
    assert any("feeds/rss.xml:" in line and "is not an RFC 822 date" in line for line in shown), shown
    assert any("feeds/feed.json:" in line and "is not an RFC 3339 date" in line for line in shown), shown
    assert all(problem.line for problem in problems)
