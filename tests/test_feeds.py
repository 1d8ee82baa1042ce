"""The feeds as readers see them: the shipped sample site and small sites made in the test."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from conftest import ROOT, SITE_CONFIG, Invoke, SiteDir, assert_valid_atom, assert_valid_json_feed, parse_feed
from lxml import etree

from feedpub import build_feeds, feeds, load_site, make_schedule, render_entries
from feedpub.config import FORMATS

CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def sample_feeds() -> dict[str, bytes]:
    return build_feeds(load_site(ROOT / "feedpub.toml"))


def published_samples() -> list[Path]:
    site = load_site(ROOT / "feedpub.toml")
    return [a.path for a in site.articles if not a.draft]


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_sample_feeds_parse_cleanly_with_every_item_complete(sample_feeds: dict[str, bytes], name: str) -> None:
    parsed = parse_feed(sample_feeds[name])
    assert parsed.version == {"rss.xml": "rss20", "atom.xml": "atom10"}[name]
    assert len(parsed.entries) == len(published_samples()) >= 6
    for entry in parsed.entries:
        assert entry.id and entry.title
        assert entry.link.startswith("https://example.org/")
        assert entry.published_parsed and (name == "rss.xml" or entry.updated_parsed)
        assert entry.summary.strip()
        assert entry.content[0].value.strip()
    ids = [entry.id for entry in parsed.entries]
    assert len(set(ids)) == len(ids)


def test_sample_atom_matches_rfc4287_schema(sample_feeds: dict[str, bytes]) -> None:
    assert_valid_atom(sample_feeds["atom.xml"])


def test_sample_feeds_leave_the_draft_out_and_list_newest_first(sample_feeds: dict[str, bytes]) -> None:
    site = load_site(ROOT / "feedpub.toml")
    drafts = [a for a in site.articles if a.draft]
    assert drafts, "the samples must include a draft"
    for name in ("rss.xml", "atom.xml"):
        parsed = parse_feed(sample_feeds[name])
        titles = {entry.title for entry in parsed.entries}
        assert not titles & {draft.title for draft in drafts}
        dates = [entry.published_parsed for entry in parsed.entries]
        assert dates == sorted(dates, reverse=True)


def test_sample_content_has_only_absolute_links(sample_feeds: dict[str, bytes]) -> None:
    for name in ("rss.xml", "atom.xml"):
        # As written: feedparser would otherwise resolve relative URLs itself, against the feed's URL.
        for entry in feedparser.parse(sample_feeds[name], resolve_relative_uris=False).entries:
            for html in (entry.summary, entry.content[0].value):
                document = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser())
                for element in document.iter():
                    for attribute in ("href", "src"):
                        url = element.get(attribute)
                        if url is not None:
                            assert url.startswith(("https://", "http://", "mailto:")), (name, entry.title, url)


def test_channel_and_feed_elements(site: SiteDir) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-05-01 10:00\n---\nBody.\n")
    site.article("b.md", "---\ntitle: B\ndate: 2026-04-01\nupdated: 2026-06-01\n---\nBody.\n")
    files = build_feeds(load_site(site.config))

    rss = etree.fromstring(files["rss.xml"]).find("channel")
    assert rss is not None
    assert rss.findtext("link") == "https://example.org/"
    assert rss.find("{http://www.w3.org/2005/Atom}link").get("href") == "https://example.org/feeds/rss.xml"
    assert rss.findtext("language") == "en"
    assert rss.findtext("generator", "").startswith("feedpub ")
    # The newest *updated* date of any item, not the time of the build.
    assert rss.findtext("lastBuildDate") == "Mon, 01 Jun 2026 00:00:00 +0200"
    assert [item.findtext("title") for item in rss.iter("item")] == ["A", "B"]

    atom = parse_feed(files["atom.xml"]).feed
    assert atom.id == "https://example.org/feeds/atom.xml"
    assert atom.updated_parsed[:6] == datetime(2026, 5, 31, 22, 0, tzinfo=UTC).timetuple()[:6]
    assert atom.generator == "feedpub"
    links = {link.rel: link.href for link in atom.links}
    assert links == {"alternate": "https://example.org/", "self": "https://example.org/feeds/atom.xml"}
    assert atom.language == "en"
    assert atom.author == "Test Author"
    assert_valid_atom(files["atom.xml"])


def test_item_carries_summary_and_full_content_in_both_formats(site: SiteDir) -> None:
    site.article(
        "post.md",
        """
        ---
        title: Post
        date: 2026-05-01
        summary: The *short* version.
        author: Ana Lima
        tags: [feeds, python]
        ---
        The long version, first paragraph.

        And a second one.
        """,
    )
    files = build_feeds(load_site(site.config))
    item = etree.fromstring(files["rss.xml"]).find("channel/item")
    assert item is not None
    assert item.findtext("description") == "<p>The <em>short</em> version.</p>"
    content = item.findtext(f"{{{CONTENT}}}encoded")
    assert content == "<p>The long version, first paragraph.</p>\n<p>And a second one.</p>"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Ana Lima"
    assert [c.text for c in item.findall("category")] == ["feeds", "python"]
    assert item.findtext("guid") == "tag:example.org,2026-05-01:post"
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.findtext("link") == "https://example.org/2026/05/post/"

    entry = parse_feed(files["atom.xml"]).entries[0]
    assert entry.summary == "<p>The <em>short</em> version.</p>"
    assert entry.content[0].type == "text/html"
    assert entry.author == "Ana Lima"
    assert [t.term for t in entry.tags] == ["feeds", "python"]


def test_rss_plain_text_uses_hex_references_for_ampersand_and_less_than(site: SiteDir) -> None:
    """The RSS profile's rule for plain-text elements; item descriptions stay escaped HTML."""
    site.write_config(SITE_CONFIG.replace("Test Site", "A & <B>"))
    site.article("p.md", "---\ntitle: Fish & <chips>\ndate: 2026-05-01\ntags: [R&D]\n---\nSalt & vinegar.\n")
    xml = build_feeds(load_site(site.config))["rss.xml"].decode()
    assert "<title>A &#x26; &#x3C;B&gt;</title>" in xml
    assert "<title>Fish &#x26; &#x3C;chips&gt;</title>" in xml
    assert "<category>R&#x26;D</category>" in xml
    assert "<description>&lt;p&gt;Salt &amp;amp; vinegar.&lt;/p&gt;</description>" in xml
    parsed = parse_feed(xml.encode())
    assert (parsed.feed.title, parsed.entries[0].title) == ("A & <B>", "Fish & <chips>")


def test_summary_defaults_to_the_first_paragraph(site: SiteDir) -> None:
    site.article("p.md", "---\ntitle: P\ndate: 2026-05-01\n---\n# Heading\n\nFirst *one*.\n\nSecond.\n")
    entry = parse_feed(build_feeds(load_site(site.config))["atom.xml"]).entries[0]
    assert entry.summary == "<p>First <em>one</em>.</p>"


def test_limit_keeps_the_newest(site: SiteDir) -> None:
    for day in range(1, 6):
        site.article(f"d{day}.md", f"---\ntitle: Day {day}\ndate: 2026-05-0{day}\n---\nx\n")
    site.write_config(site.config.read_text() + "[build]\nlimit = 2\n")
    parsed = parse_feed(build_feeds(load_site(site.config))["rss.xml"])
    assert [e.title for e in parsed.entries] == ["Day 5", "Day 4"]


def test_feed_with_no_articles_is_valid_and_has_a_fixed_plausible_date(site: SiteDir) -> None:
    loaded = load_site(site.config)
    assert [w.message for w in loaded.warnings] == [
        "no article files (*.md, *.markdown, *.html, *.json, *.yaml, *.toml) found; the feeds will be empty"
    ]
    files = build_feeds(loaded)
    assert_valid_atom(files["atom.xml"])
    assert parse_feed(files["atom.xml"]).feed.updated == "2000-01-01T00:00:00+00:00"
    rss = parse_feed(files["rss.xml"])
    assert (rss.entries, rss.feed.updated) == ([], "Sat, 01 Jan 2000 00:00:00 +0000")


def _drop_feed_updated(feed: etree._Element) -> None:
    feed.remove(feed.find(f"{ATOM}updated"))


def _cdata_content(feed: etree._Element) -> None:
    for content in feed.iter(f"{ATOM}content"):
        content.set("type", "CDATA")


@pytest.mark.parametrize("breakage", [_drop_feed_updated, _cdata_content], ids=["no-feed-updated", "content-cdata"])
def test_the_schema_rejects_broken_atom(site: SiteDir, breakage: Callable[[etree._Element], None]) -> None:
    """The schema check can fail: break a good feed the way feed tools do and it must be refused."""
    site.article("a.md", "---\ntitle: A\ndate: 2026-05-01\n---\nBody.\n")
    feed = etree.fromstring(build_feeds(load_site(site.config))["atom.xml"])
    assert_valid_atom(etree.tostring(feed))
    breakage(feed)
    with pytest.raises(pytest.fail.Exception, match="RFC 4287"):
        assert_valid_atom(etree.tostring(feed))


def test_image_and_language_of_an_article(site: SiteDir) -> None:
    """media:thumbnail straight in the item (a media:group of one is invalid); the entry's own language."""
    site.article("a.md", "---\ntitle: A\ndate: 2026-05-01\nimage: cover.png\nlang: fr\n---\nBonjour.\n")
    site.article("b.md", "---\ntitle: B\ndate: 2026-05-02\n---\nHello.\n")
    files = build_feeds(load_site(site.config))
    media = "{http://search.yahoo.com/mrss/}"
    item = etree.fromstring(files["rss.xml"]).findall("channel/item")[1]
    assert item.find(f"{media}thumbnail").get("url") == "https://example.org/2026/05/a/cover.png"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}language") == "fr"
    entries = etree.fromstring(files["atom.xml"]).findall(f"{ATOM}entry")
    assert entries[1].find(f"{media}thumbnail").get("url") == "https://example.org/2026/05/a/cover.png"
    assert entries[1].get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert entries[0].get("{http://www.w3.org/XML/1998/namespace}lang") is None
    assert_valid_atom(files["atom.xml"])
    assert [e.content[0].language for e in parse_feed(files["atom.xml"]).entries] == ["en", "fr"]


# JSON Feed ---------------------------------------------------------------------------------------


def test_sample_json_feed_carries_what_the_articles_say(sample_feeds: dict[str, bytes]) -> None:
    """Every item's values, compared with the article model and with what the Atom feed carries."""
    document = assert_valid_json_feed(sample_feeds["feed.json"])
    site = load_site(ROOT / "feedpub.toml")
    entries = {entry.article.id: entry for entry in render_entries(site, make_schedule(site.config))}
    atom = {entry.id: entry for entry in parse_feed(sample_feeds["atom.xml"]).entries}
    assert document["feed_url"] == site.config.feeds_url + "feed.json"
    assert document["home_page_url"] == site.config.url
    assert document["language"] == site.config.language
    assert [item["id"] for item in document["items"]] == list(atom)
    for item in document["items"]:
        entry = entries[item["id"]]
        article = entry.article
        assert item["url"] == article.url and item["title"] == article.title
        assert datetime.fromisoformat(item["date_published"]) == article.date
        assert item["date_published"] == article.date.isoformat()  # the article's own offset
        assert datetime.fromisoformat(item["date_modified"]) == article.updated
        assert item.get("tags", []) == list(article.tags)
        assert [author["name"] for author in item.get("authors", [])] == [author.name for author in article.authors]
        assert item["content_html"] == entry.content_html
        assert item["summary"] == " ".join(item["summary"].split())  # one line of text
        visible = etree.fromstring(f"<div>{entry.summary_html}</div>", etree.HTMLParser()).xpath("string()")
        assert item["summary"] == " ".join(visible.split())


def test_several_authors_are_right_in_every_format(site: SiteDir) -> None:
    site.article(
        "a.md",
        "---\ntitle: Two hands\ndate: 2026-01-02\nauthors:\n  - name: Ana Lima\n    email: ana@example.org\n"
        "  - name: Bo Chen\n    url: https://bo.example.org/\n---\nText.\n",
    )
    files = build_feeds(load_site(site.config))
    atom = parse_feed(files["atom.xml"]).entries[0]
    assert [author.name for author in atom.authors] == ["Ana Lima", "Bo Chen"]
    rss = etree.fromstring(files["rss.xml"])
    creators = rss.findall(".//item/{http://purl.org/dc/elements/1.1/}creator")
    assert [creator.text for creator in creators] == ["Ana Lima", "Bo Chen"]
    [item] = assert_valid_json_feed(files["feed.json"])["items"]
    assert item["authors"] == [
        {"name": "Ana Lima", "url": "mailto:ana@example.org"},
        {"name": "Bo Chen", "url": "https://bo.example.org/"},
    ]


@pytest.mark.parametrize(
    ("formats", "files"),
    [
        ('["json"]', ["feed.json", "index.html"]),
        ('["atom", "rss"]', ["rss.xml", "atom.xml", "index.html"]),
        (None, ["rss.xml", "atom.xml", "feed.json", "index.html"]),
    ],
)
def test_formats_chooses_the_files_written(site: SiteDir, formats: str | None, files: list[str]) -> None:
    if formats is not None:
        site.write_config(SITE_CONFIG + f"\n[build]\nformats = {formats}\n")
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-02\n---\nText.\n")
    assert list(build_feeds(load_site(site.config))) == files


def test_an_unknown_format_is_a_config_error(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + '\n[build]\nformats = ["rss", "rdf"]\n')
    result = invoke("build", cwd=site.root, code=1)
    assert result.stderr.startswith("feedpub.toml:10: error: [build] formats: must list one or more of")
    assert "'rdf' is not one" in result.stderr


def test_the_config_and_the_feeds_name_the_same_formats() -> None:
    assert tuple(feeds.FORMATS) == FORMATS


def test_since_leaves_older_articles_out_of_the_feeds(site: SiteDir, invoke: Invoke) -> None:
    """A site moving to feedpub does not push its back catalogue to subscribers as new."""
    site.write_config(SITE_CONFIG + '\n[build]\nsince = "2026-01-02 12:00"\n')
    site.article("old.md", "---\ntitle: Old\ndate: 2026-01-02 11:59\n---\nText.\n")
    site.article("new.md", "---\ntitle: New\ndate: 2026-01-02 12:00\n---\nText.\n")
    invoke("build", cwd=site.root)
    for name in ("rss.xml", "atom.xml"):
        assert [entry.title for entry in parse_feed((site.feeds / name).read_bytes()).entries] == ["New"]
    assert [item["title"] for item in assert_valid_json_feed((site.feeds / "feed.json").read_bytes())["items"]] == [
        "New"
    ]
    site.write_config(SITE_CONFIG + '\n[build]\nsince = "last year"\n')
    result = invoke("build", cwd=site.root, code=1)
    assert result.stderr.startswith('feedpub.toml:10: error: [build] since: "last year" is not a date feedpub reads')


# Per-tag and per-author feeds --------------------------------------------------------------------


def test_an_author_written_with_an_address_as_git_writes_one_has_it_apart(site: SiteDir) -> None:
    # "Ann <ann@example.org>" (Jekyll sites and git write authors so) went whole into <name>, which the
    # W3C validator warns of: "name should not include email address".
    site.write_config(SITE_CONFIG.replace('author = "Test Author"', 'author = "Ann Admin <ann@example.org>"'))
    site.article("a.md", '---\ntitle: A\ndate: 2026-01-01\nauthors: ["Bob <bob@example.org>", "Cy <3"]\n---\nA.\n')
    files = build_feeds(load_site(site.config))
    assert parse_feed(files["atom.xml"]).feed.author_detail == {"name": "Ann Admin"}
    entry = etree.fromstring(files["atom.xml"]).find(f"{ATOM}entry")
    assert [[(child.tag, child.text) for child in author] for author in entry.findall(f"{ATOM}author")] == [
        [(f"{ATOM}name", "Bob"), (f"{ATOM}email", "bob@example.org")],
        [(f"{ATOM}name", "Cy <3")],  # no address in it: the name as written
    ]
    assert [author["name"] for author in assert_valid_json_feed(files["feed.json"])["items"][0]["authors"]] == [
        "Bob",
        "Cy <3",
    ]


def test_a_feed_per_tag_and_per_author(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + "\n[build]\ntag_feeds = true\nauthor_feeds = true\nlimit = 2\n")
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\ntags: [Köln, Python]\nauthor: Ana Lima\n---\nA.\n")
    site.article("b.md", "---\ntitle: B\ndate: 2026-01-02\ntags: [python, 日本]\nauthor: Bo Chen\n---\nB.\n")
    site.article("c.md", "---\ntitle: C\ndate: 2026-01-03\ntags: [Python]\nauthor: Ana Lima\n---\nC.\n")
    site.article("d.md", "---\ntitle: D\ndate: 2026-01-04\ntags: [Secret]\ndraft: true\n---\nD.\n")
    result = invoke("build", cwd=site.root)
    assert "the tag names 'Python', 'python' give the same feed, tags/python/" in result.stderr
    folders = sorted(
        str(path.parent.relative_to(site.feeds))
        for kind in ("tags", "authors")
        for path in site.feeds.glob(f"{kind}/*/atom.xml")
    )
    assert folders == ["authors/ana-lima", "authors/bo-chen", "tags/köln", "tags/python", "tags/日本"]  # no draft's tag
    python = parse_feed((site.feeds / "tags" / "python" / "atom.xml").read_bytes())
    assert [entry.title for entry in python.entries] == ["C", "B"]  # newest first, at most the limit
    assert python.feed.title == "Test Site: Python / python"
    assert python.feed.id == "https://example.org/feeds/tags/python/atom.xml"
    assert_valid_atom((site.feeds / "tags" / "python" / "atom.xml").read_bytes())
    rss = parse_feed((site.feeds / "authors" / "ana-lima" / "rss.xml").read_bytes())
    assert [entry.title for entry in rss.entries] == ["C", "A"]
    assert [link.href for link in rss.feed.links if link.rel == "self"] == [
        "https://example.org/feeds/authors/ana-lima/rss.xml"
    ]
    # The folder keeps the slug's letters; its URLs hold them percent-encoded, as a URI must (the JSON
    # Feed schema refused "tags/köln/feed.json" as a feed_url; the W3C validator crashed on the self link).
    document = assert_valid_json_feed((site.feeds / "tags" / "köln" / "feed.json").read_bytes())
    assert document["feed_url"] == "https://example.org/feeds/tags/k%C3%B6ln/feed.json"
    assert [item["title"] for item in document["items"]] == ["A"]
    japan = parse_feed((site.feeds / "tags" / "日本" / "atom.xml").read_bytes())
    assert japan.feed.id == "https://example.org/feeds/tags/%E6%97%A5%E6%9C%AC/atom.xml"
    assert [link.href for link in japan.feed.links if link.rel == "self"] == [japan.feed.id]
    assert "https://example.org/feeds/tags/k%C3%B6ln/atom.xml" in invoke("links", "--all", cwd=site.root).stdout


def test_topic_slugs_keep_every_script_and_depend_on_the_name_alone() -> None:
    from feedpub.feeds.topics import topic_slug

    assert [topic_slug(name) for name in ["Köln", "C++", "日本 語", "  Open  Source ", "Straße", "+++"]] == [
        "köln",
        "c",
        "日本-語",
        "open-source",
        "strasse",
        "-",
    ]


# The id ledger -----------------------------------------------------------------------------------


def test_published_ids_never_change(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nText.\n")
    site.article("b.md", "---\ntitle: B\ndate: 2026-01-02\ndraft: true\n---\nText.\n")
    invoke("build", cwd=site.root)
    ledger = site.root / "feedpub-ids.txt"
    first = "tag:example.org,2026-01-01:a"
    assert ledger.read_text(encoding="utf-8").splitlines()[1:] == [f"a.md\t{first}"]  # drafts are not published
    # The date is corrected: the id made from it would change, and every reader would show the article again.
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-03\n---\nText.\n")
    kept = invoke("build", cwd=site.root)
    assert (
        "articles/a.md: warning: keeps the id it was published with, tag:example.org,2026-01-01:a "
        "(it would now be tag:example.org,2026-01-03:a" in kept.stderr
    )
    assert [entry.id for entry in parse_feed((site.feeds / "atom.xml").read_bytes()).entries] == [first]
    assert assert_valid_json_feed((site.feeds / "feed.json").read_bytes())["items"][0]["id"] == first
    listed = invoke("list", "--json", cwd=site.root)
    assert json.loads(listed.stdout)[0]["id"] == first
    reset = invoke("build", "--reset-ids", cwd=site.root)
    assert "keeps the id" not in reset.stderr
    assert [entry.id for entry in parse_feed((site.feeds / "atom.xml").read_bytes()).entries] == [
        "tag:example.org,2026-01-03:a"
    ]
    assert "a.md\ttag:example.org,2026-01-03:a" in ledger.read_text(encoding="utf-8")


# RFC 4151's tag URI, its last part RFC 3986's pchar, "/" and "?" (no letter outside ASCII), and
# the authority a DNS name: what the W3C validator accepts, which refused "tag:...:hello-wörld".
TAG_URI = re.compile(
    r"tag:(?:[a-z0-9._-]+@)?[a-z0-9.-]+,\d{4}(?:-\d{2}(?:-\d{2})?)?:(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-F]{2})*"
)


def test_an_id_made_of_a_slug_with_letters_outside_ascii_is_a_valid_tag_uri(site: SiteDir, invoke: Invoke) -> None:
    # `feedpub new "Hello, Wörld"` wrote an article whose id the W3C validator refused ("not a valid TAG").
    invoke("new", "Hello, Wörld", cwd=site.root)
    (new,) = site.articles.glob("hello-*.md")
    new.write_text(new.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    site.article("日記/まとめ.md", "---\ntitle: Diary\ndate: 2026-01-01\n---\nText.\n")
    site.write_config(SITE_CONFIG.replace("https://example.org/", "https://bücher.example/"))
    invoke("build", cwd=site.root)
    ids = [entry.id for entry in parse_feed((site.feeds / "atom.xml").read_bytes()).entries]
    assert all(TAG_URI.fullmatch(ident) for ident in ids), ids
    assert "tag:xn--bcher-kva.example,2026-01-01:%E3%81%BE%E3%81%A8%E3%82%81" in ids
    assert any(ident.endswith(":hello-w%C3%B6rld") for ident in ids)
    assert {item["id"] for item in json.loads((site.feeds / "feed.json").read_bytes())["items"]} == set(ids)


def test_an_id_published_with_letters_left_raw_is_kept_naming_why_it_would_change(
    site: SiteDir, invoke: Invoke
) -> None:
    site.article("café.md", "---\ntitle: Café\ndate: 2026-01-01\n---\nText.\n")
    raw = "tag:example.org,2026-01-01:café"  # as feedpub wrote it before: an invalid tag URI
    (site.root / "feedpub-ids.txt").write_text(f"café.md\t{raw}\n", encoding="utf-8")
    kept = invoke("build", cwd=site.root)
    assert f"keeps the id it was published with, {raw} (it would now be tag:example.org,2026-01-01:caf%C3%A9:" in (
        kept.stderr
    )
    assert "feedpub now percent-encodes the letters outside ASCII in its ids" in kept.stderr
    assert [entry.id for entry in parse_feed((site.feeds / "atom.xml").read_bytes()).entries] == [raw]
    invoke("build", "--reset-ids", cwd=site.root)
    assert [entry.id for entry in parse_feed((site.feeds / "atom.xml").read_bytes()).entries] == [
        "tag:example.org,2026-01-01:caf%C3%A9"
    ]


def test_a_broken_ledger_line_is_a_clear_error_and_no_ledger_is_possible(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nText.\n")
    (site.root / "feedpub-ids.txt").write_text("a.md tag:x\n", encoding="utf-8")
    result = invoke("build", cwd=site.root, code=1)
    assert result.stderr.startswith("feedpub-ids.txt:1: error: not a ledger line: write the article's path, a tab")
    site.write_config(SITE_CONFIG + '\n[build]\nids = ""\n')
    invoke("build", cwd=site.root)
    assert (site.root / "feedpub-ids.txt").read_text(encoding="utf-8") == "a.md tag:x\n"  # not read, not written


# Media -------------------------------------------------------------------------------------------


def episode(site: SiteDir, folder: str, front: str, audio: str) -> dict[str, bytes]:
    """A podcast episode's page bundle (its front matter's lines after the title and date, and a
    1,200-byte audio file beside it), and the feeds built of it."""
    site.article(f"{folder}/index.md", f"---\ntitle: Episode 1\ndate: 2026-01-02\n{front}---\nListen.\n")
    (site.articles / folder / audio).write_bytes(b"\xff\xfb" * 600)
    return build_feeds(load_site(site.config))


def test_enclosures_in_every_format(site: SiteDir) -> None:
    """A podcast episode beside its article: its size comes from the file, its type from its extension."""
    files = episode(
        site,
        "episode",
        "image: cover.jpg\nenclosures:\n  - episode.mp3\n  - url: https://cdn.example.net/notes.pdf\n"
        "    length: 5000\n",
        "episode.mp3",
    )
    mp3 = "https://example.org/2026/01/episode/episode.mp3"
    rss = etree.fromstring(files["rss.xml"])
    [enclosure] = rss.findall(".//item/enclosure")  # RSS: one, the first
    assert dict(enclosure.attrib) == {"url": mp3, "length": "1200", "type": "audio/mpeg"}
    assert rss.find(".//item/{http://search.yahoo.com/mrss/}thumbnail").get("url").endswith("/episode/cover.jpg")
    atom = etree.fromstring(files["atom.xml"])
    links = [dict(link.attrib) for link in atom.findall(f".//{ATOM}entry/{ATOM}link") if link.get("rel") == "enclosure"]
    assert links == [
        {"rel": "enclosure", "href": mp3, "type": "audio/mpeg", "length": "1200"},
        {"rel": "enclosure", "href": "https://cdn.example.net/notes.pdf", "type": "application/pdf", "length": "5000"},
    ]
    assert_valid_atom(files["atom.xml"])
    assert [e.href for e in parse_feed(files["atom.xml"]).entries[0].enclosures] == [
        mp3,
        "https://cdn.example.net/notes.pdf",
    ]
    [item] = assert_valid_json_feed(files["feed.json"])["items"]
    assert item["attachments"] == [
        {"url": mp3, "mime_type": "audio/mpeg", "size_in_bytes": 1200},
        {"url": "https://cdn.example.net/notes.pdf", "mime_type": "application/pdf", "size_in_bytes": 5000},
    ]
    assert item["image"].endswith("/episode/cover.jpg")


def test_media_and_author_urls_written_with_blanks_or_letters_outside_ascii_are_uris(site: SiteDir) -> None:
    # Files are named "episode 1.mp3" and "Titelbild ß.jpg": written as they were, their URLs were no
    # URIs (W3C: "Invalid character in a URI", "url must be a full URL"; the JSON Feed schema refused
    # them), and the Atom enclosure link came out as ns0:link (W3C: "Avoid Namespace Prefix").
    files = episode(
        site,
        "folge",
        "image: Titelbild ß.jpg\nenclosures:\n  - episode 1.mp3\nauthor:\n  name: Jörg\n"
        "  url: https://example.net/über-uns\n",
        "episode 1.mp3",
    )
    mp3 = "https://example.org/2026/01/folge/episode%201.mp3"
    image = "https://example.org/2026/01/folge/Titelbild%20%C3%9F.jpg"
    rss = etree.fromstring(files["rss.xml"])
    assert rss.find(".//item/enclosure").get("url") == mp3
    assert rss.find(".//item/{http://search.yahoo.com/mrss/}thumbnail").get("url") == image
    assert b"ns0" not in files["atom.xml"] and b'<link rel="enclosure" href="' + mp3.encode() in files["atom.xml"]
    [entry] = parse_feed(files["atom.xml"]).entries
    assert [link.href for link in entry.enclosures] == [mp3] and entry.enclosures[0].length == "1200"
    assert entry.author_detail.href == "https://example.net/%C3%BCber-uns"
    [item] = assert_valid_json_feed(files["feed.json"])["items"]  # its formats checked: URIs, all
    assert (item["image"], item["attachments"][0]["url"]) == (image, mp3)


def test_an_enclosure_without_a_type_is_a_clear_error(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-02\nenclosure: https://example.org/file\n---\nText.\n")
    result = invoke("build", cwd=site.root, code=1)
    assert "articles/a.md:4: error: 'enclosure' names no media type for 'https://example.org/file'" in result.stderr


def test_an_article_gone_from_the_feed_before_its_time_is_reported(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + "\n[build]\nlimit = 2\n")
    for day in (1, 2):
        site.article(f"a{day}.md", f"---\ntitle: Day {day}\ndate: 2026-01-0{day}\n---\nText.\n")
    invoke("build", cwd=site.root)
    site.article("a3.md", "---\ntitle: Day 3\ndate: 2026-01-03\n---\nText.\n")
    aged = invoke("build", cwd=site.root)  # Day 1 ages out: that is what a limit does
    assert "is gone" not in aged.stderr
    (site.articles / "a3.md").unlink()
    gone = invoke("build", cwd=site.root)  # Day 3, the newest, deleted: readers have it already
    assert "feeds/feed.json: warning: 'Day 3' (tag:example.org,2026-01-03:a3) was in the feeds and is gone" in (
        gone.stderr
    )
    assert "Day 2" not in gone.stderr
    assert "is gone" not in invoke("build", cwd=site.root).stderr  # said once


def test_the_site_icon_and_favicon_are_in_every_format(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + 'icon = "/images/icon-512.png"\nfavicon = "https://cdn.example.net/favicon.ico"\n')
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nA.\n")
    invoke("build", cwd=site.root)
    icon, favicon = "https://example.org/images/icon-512.png", "https://cdn.example.net/favicon.ico"
    atom_data = (site.feeds / "atom.xml").read_bytes()
    assert_valid_atom(atom_data)
    atom = parse_feed(atom_data).feed
    assert (atom.logo, atom.icon) == (icon, favicon)
    rss = parse_feed((site.feeds / "rss.xml").read_bytes()).feed
    assert (rss.image.href, rss.image.link, rss.image.title) == (icon, "https://example.org/", "Test Site")
    document = assert_valid_json_feed((site.feeds / "feed.json").read_bytes())
    assert (document["icon"], document["favicon"]) == (icon, favicon)


def test_an_icon_that_is_no_web_address_is_refused(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + 'icon = "file:///etc/passwd"\n')
    result = invoke("build", cwd=site.root, code=1)
    assert "[site] icon" in result.stderr and "http(s) URL or a path on the site" in result.stderr


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("jekyll", "Is your project using “agilefall”? Writing for action and flexibility"),
        ("eleventy", "Is your project using “agilefall”? Writing for action and flexibility"),
        ("pelican", "Is your project using “agilefall”? Writing for action and flexibility"),
        ("hugo", "Is your project using &ldquo;agilefall&rdquo;? Writing for action <em>and</em> flexibility"),
    ],
)
def test_a_title_is_what_the_sites_page_shows(site: SiteDir, invoke: Invoke, preset: str, expected: str) -> None:
    """Liquid (Jekyll, Eleventy) and Pelican's Jinja write a title as HTML; Hugo's templates escape it."""
    site.write_config(SITE_CONFIG + f'\n[build]\nmarkdown = "{preset}"\n')
    title = "Is your project using &ldquo;agilefall&rdquo;? Writing for action <em>and</em> flexibility"
    site.article("a.md", f"---\ntitle: '{title}'\ndate: 2026-01-01\n---\nA.\n")
    invoke("build", cwd=site.root)
    assert parse_feed((site.feeds / "atom.xml").read_bytes()).entries[0].title == expected
    assert assert_valid_json_feed((site.feeds / "feed.json").read_bytes())["items"][0]["title"] == expected


def test_a_permalink_written_with_other_characters_is_percent_encoded(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\nurl: /blog/core-–-part-2/\n---\nA.\n")
    invoke("build", cwd=site.root)
    document = assert_valid_json_feed((site.feeds / "feed.json").read_bytes())
    assert document["items"][0]["url"] == "https://example.org/blog/core-%E2%80%93-part-2/"


def test_replacement_characters_are_removed_with_a_warning(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nFirst line.\n\nEmoji lost: \ufffd\ufffd here.\n")
    result = invoke("build", cwd=site.root)
    assert "articles/a.md:7: warning: the body holds U+FFFD" in result.stderr
    assert "\ufffd" not in (site.feeds / "atom.xml").read_text(encoding="utf-8")


# Emoji start with byte F0 in UTF-8; the tag characters of a subdivision's flag with F3.
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"


@pytest.mark.parametrize("text", ["🎉 and 😀.", f"🎉 and {SCOTLAND}."])
def test_characters_beyond_the_basic_plane_are_character_references_in_xml(
    site: SiteDir, invoke: Invoke, text: str
) -> None:
    """Xerces-J (Java readers, jing) fails on a four-byte UTF-8 character across its 8 KiB buffer."""
    site.article("a.md", "---\ntitle: Party 🎉\ndate: 2026-01-01\ntags: [𝔸lgebra]\n---\n" + "x" * 8180 + f" {text}\n")
    invoke("build", cwd=site.root)
    for name in ("rss.xml", "atom.xml"):
        data = (site.feeds / name).read_bytes()
        assert re.search(rb"[\xf0-\xf4]", data) is None, name
        [entry] = parse_feed(data).entries
        assert entry.title == "Party 🎉" and entry.tags[0].term == "𝔸lgebra"
        assert text in entry.content[0].value
    assert text in (site.feeds / "feed.json").read_text(encoding="utf-8")  # JSON has no such reader
