"""What people see of the feeds: the HTML page (index.html), the XSL view of RSS and Atom, and the
`<link>` tags of `feedpub links`."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin

import pytest
from conftest import ROOT, SITE_CONFIG, Invoke, SiteDir, assert_valid_atom, parse_feed
from lxml import etree, html

from feedpub import build_feeds, load_config, load_site, write_feeds
from feedpub.feeds.check import check_feeds
from feedpub.feeds.page import readable_date

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = "https://example.org/feeds/"
TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml", "feed.json": "application/feed+json"}


def _articles(site: SiteDir) -> None:
    site.article(
        "first.md",
        """
        ---
        title: First post
        date: 2026-03-14 09:30
        author: Ana Lima
        tags: [feeds, Python]
        ---
        The *first* paragraph.
        """,
    )
    site.article(
        "second.md",
        """
        ---
        title: Second post
        date: 2026-07-01T18:05:00+05:30
        authors: [Bo Chen, Cy Dunn]
        tags: [feeds]
        ---
        Another paragraph.
        """,
    )


def _page(site: SiteDir) -> html.HtmlElement:
    return html.fromstring((site.feeds / "index.html").read_bytes())


# The page ---------------------------------------------------------------------------------------


def test_the_page_lists_the_newest_items_and_every_feed(site: SiteDir, invoke: Invoke) -> None:
    _articles(site)
    invoke("build", cwd=site.root)
    page = _page(site)
    assert page.findtext(".//h1") == "Test Site"
    assert "A site for tests." in page.findtext(".//p[@class='lead']")
    assert "feed reader" in page.get_element_by_id("subscribe").text_content()
    items = page.findall(".//article")
    assert [item.findtext("h3/a") for item in items] == ["Second post", "First post"]  # newest first
    assert [item.find("h3/a").get("href") for item in items] == [
        "https://example.org/2026/07/second/",
        "https://example.org/2026/03/first/",
    ]
    assert [item.find(".//time").get("datetime") for item in items] == [
        "2026-07-01T18:05:00+05:30",
        "2026-03-14T09:30:00+01:00",
    ]
    assert [item.findtext(".//time") for item in items] == [
        "1 July 2026, 18:05 (+05:30)",
        "14 March 2026, 09:30 (+01:00)",
    ]
    assert "Bo Chen, Cy Dunn" in items[0].find(".//p[@class='meta']").text_content()
    assert "Ana Lima" in items[1].find(".//p[@class='meta']").text_content()
    summary = items[1].find(".//div[@class='summary']")
    assert html.tostring(summary.find("p"), encoding="unicode").startswith("<p>The <em>first</em> paragraph.</p>")
    urls = [FEEDS + name for name in TYPES]
    assert [code.text for code in page.findall(".//ul[@class='feeds']//code")] == urls
    assert [button.get("data-copy") for button in page.findall(".//button")] == urls
    assert all(button.get("hidden") is not None for button in page.findall(".//button"))  # shown by JS only


@pytest.mark.parametrize(
    ("formats", "names"),
    [
        (None, ["rss.xml", "atom.xml", "feed.json"]),
        ('["atom"]', ["atom.xml"]),
        ('["json", "rss"]', ["rss.xml", "feed.json"]),
    ],
)
def test_the_autodiscovery_links_name_each_format_built(
    site: SiteDir, invoke: Invoke, formats: str | None, names: list[str]
) -> None:
    if formats is not None:
        site.write_config(SITE_CONFIG + f"\n[build]\nformats = {formats}\n")
    _articles(site)
    invoke("build", cwd=site.root)
    links = _page(site).findall(".//head/link[@rel='alternate']")
    labels = {"rss.xml": "RSS", "atom.xml": "Atom", "feed.json": "JSON Feed"}
    assert [(link.get("type"), link.get("title"), link.get("href")) for link in links] == [
        (TYPES[name], f"Test Site ({labels[name]})", FEEDS + name) for name in names
    ]
    assert sorted(path.name for path in site.feeds.iterdir()) == sorted([*names, "index.html"])


def test_html_page_false_writes_none_and_leaves_one_written_before(site: SiteDir, invoke: Invoke) -> None:
    _articles(site)
    off = SITE_CONFIG + "\n[build]\nhtml_page = false\n"
    site.write_config(off)
    invoke("build", cwd=site.root)
    assert not (site.feeds / "index.html").exists()
    site.write_config(SITE_CONFIG)
    assert "index.html" in invoke("build", cwd=site.root).stdout
    before = (site.feeds / "index.html").read_bytes()
    site.write_config(off)
    site.article("third.md", "---\ntitle: Third\ndate: 2026-08-01\n---\nText.\n")
    result = invoke("build", cwd=site.root)
    assert "index.html" not in result.stdout
    assert (site.feeds / "index.html").read_bytes() == before  # as the README says: left, not removed


def test_an_index_html_that_is_not_feedpubs_is_never_overwritten(site: SiteDir, invoke: Invoke) -> None:
    _articles(site)
    site.feeds.mkdir()
    (site.feeds / "index.html").write_text("<!DOCTYPE html><title>My home page</title>", encoding="utf-8")
    result = invoke("build", cwd=site.root)
    assert "feeds/index.html: warning: is not feedpub's page, so it was left as it is" in result.stderr
    assert "[build] html_page = false" in result.stderr
    assert (site.feeds / "index.html").read_text(encoding="utf-8") == "<!DOCTYPE html><title>My home page</title>"
    assert (site.feeds / "atom.xml").exists()
    again = invoke("build", "--verbose", cwd=site.root)  # nothing changed (and no quick check): said again
    assert "feeds/index.html: warning: is not feedpub's page" in again.stderr
    site.write_config(SITE_CONFIG + "\n[build]\nhtml_page = false\n")
    assert "index.html" not in invoke("build", cwd=site.root).stderr  # silenced


def test_the_library_writes_no_page_over_one_that_is_not_feedpubs(site: SiteDir) -> None:
    """write_feeds follows the build's rule: the site's own index.html stays; the feeds are written."""
    _articles(site)
    files = build_feeds(load_site(site.config))
    assert "index.html" in files
    site.feeds.mkdir()
    (site.feeds / "index.html").write_text("<!DOCTYPE html><title>My home page</title>", encoding="utf-8")
    report = write_feeds(files, site.feeds)
    assert (site.feeds / "index.html").read_text(encoding="utf-8") == "<!DOCTYPE html><title>My home page</title>"
    assert (site.feeds / "atom.xml").read_bytes() == files["atom.xml"]
    assert site.feeds / "index.html" not in report.written
    (site.feeds / "index.html").write_bytes(files["index.html"])  # feedpub's own page is replaced, as ever
    write_feeds({**files, "index.html": files["index.html"].replace(b"</body>", b"<!-- new --></body>")}, site.feeds)
    assert b"<!-- new -->" in (site.feeds / "index.html").read_bytes()


class _Structure(HTMLParser):
    """Checks that every element is closed, in order, and records the element paths seen."""

    VOID: ClassVar[set[str]] = {"meta", "link", "br", "img", "input", "hr", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []
        self.paths: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)
        self.paths.append("/".join([*self.open[:-1], tag] if tag not in self.VOID else [*self.open, tag]))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def test_the_page_is_well_formed_html(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + "\n[build]\ntag_feeds = true\nauthor_feeds = true\n")
    _articles(site)
    invoke("build", cwd=site.root)
    checker = _Structure()
    checker.feed((site.feeds / "index.html").read_text(encoding="utf-8"))
    checker.close()
    assert checker.doctype == "DOCTYPE html"
    assert checker.errors == [] and checker.open == []
    for path in (
        "html/head/meta",
        "html/head/title",
        "html/head/link",
        "html/head/style",
        "html/body/div/main/section/ul/li",
        "html/body/div/main/section/article/h3/a",
        "html/body/div/main/section/article/p/time",
        "html/body/script",
    ):
        assert path in checker.paths, path
    assert checker.paths.count("html/head") == checker.paths.count("html/body") == 1
    # libxml2's HTML parser (HTML 4 rules) reports the HTML5 elements it does not know, and nothing else
    parser = etree.HTMLParser()
    etree.fromstring((site.feeds / "index.html").read_bytes(), parser)
    unknown = r"Tag (header|main|section|article|time|footer) invalid"
    assert [error.message for error in parser.error_log if not re.fullmatch(unknown, error.message)] == []


HOSTILE = '<script>alert("x")</script> & "quoted" \'single\' </h3>'


def test_hostile_titles_names_and_tags_are_escaped(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(
        SITE_CONFIG.replace('title = "Test Site"', 'title = "Site <b>\\"quoted\\"</b> & co"')
        + "\n[build]\ntag_feeds = true\nauthor_feeds = true\n"
    )
    front = json.dumps({"title": HOSTILE, "date": "2026-01-02", "author": HOSTILE, "tags": [HOSTILE]})
    site.article("hostile.md", f"{front}\n\nText.\n")
    invoke("build", cwd=site.root)
    text = (site.feeds / "index.html").read_text(encoding="utf-8")
    page = html.fromstring(text)
    assert len(page.findall(".//script")) == 1 and "alert" not in page.findtext(".//script")
    assert page.findtext(".//h1") == 'Site <b>"quoted"</b> & co'
    assert page.findtext(".//article/h3/a") == HOSTILE
    assert HOSTILE in page.find(".//article/p[@class='meta']").text_content()
    assert page.find(".//head/link").get("title") == 'Site <b>"quoted"</b> & co (RSS)'
    assert page.findtext(".//head/title") == 'Site <b>"quoted"</b> & co: feeds'
    topics = [li.text_content() for li in page.findall(".//ul[@class='topics']/li")]
    assert topics == [f"{HOSTILE}: RSS · Atom · JSON Feed"] * 2  # the tag, then the author
    assert "<script>alert" not in text and "<b>" not in text


def test_topic_feeds_are_listed_by_kind(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + "\n[build]\ntag_feeds = true\nauthor_feeds = true\n")
    _articles(site)
    invoke("build", cwd=site.root)
    page = _page(site)
    assert [h2.text for h2 in page.findall(".//section/h2")] == [
        "Subscribe",
        "Feeds by tag",
        "Feeds by author",
        "Newest articles",
    ]
    tags = page.get_element_by_id("tags")
    assert [li.text for li in tags.findall(".//li")] == ["feeds: ", "Python: "]
    assert [a.get("href") for a in tags.findall(".//li")[1].findall("a")] == [
        FEEDS + "tags/python/" + name for name in TYPES
    ]
    authors = page.get_element_by_id("authors")
    assert [li.text for li in authors.findall(".//li")] == ["Ana Lima: ", "Bo Chen: ", "Cy Dunn: "]
    for href in (a.get("href") for a in page.findall(".//ul[@class='topics']//a")):
        assert (site.feeds / href.removeprefix(FEEDS)).is_file(), href


def test_the_page_keeps_its_bytes_and_its_time(site: SiteDir, invoke: Invoke) -> None:
    _articles(site)
    first = build_feeds(load_site(site.config))["index.html"]
    assert build_feeds(load_site(site.config))["index.html"] == first
    invoke("build", cwd=site.root)
    path = site.feeds / "index.html"
    assert path.read_bytes() == first
    stamp = path.stat().st_mtime_ns
    result = invoke("build", "--no-cache", cwd=site.root)
    assert "unchanged feeds/rss.xml, feeds/atom.xml, feeds/feed.json, feeds/index.html" in result.stdout
    assert path.stat().st_mtime_ns == stamp


def test_the_sample_sites_page_builds(tmp_path: Path) -> None:
    config = load_config(ROOT / "feedpub.toml", {"build.output": str(tmp_path), "build.ids": ""})
    files = build_feeds(load_site(config))
    page = html.fromstring(files["index.html"])
    atom = etree.fromstring(files["atom.xml"])
    titles = [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")]
    assert titles and [a.text_content() for a in page.findall(".//article/h3/a")] == titles
    assert page.findtext(".//h1") == "Field Notes on Feeds"


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        pytest.param(datetime(2026, 1, 2, 3, 4, tzinfo=UTC), "2 January 2026, 03:04 (UTC)", id="utc"),
        pytest.param(
            datetime(2026, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
            "31 December 2026, 23:59 (-03:30)",
            id="negative-offset",
        ),
    ],
)
def test_readable_dates_need_no_locale(moment: datetime, shown: str) -> None:
    assert readable_date(moment) == shown


# XSL ---------------------------------------------------------------------------------------------

XSL_SITE = SITE_CONFIG + "\n[build]\nlimit = 1\narchive_size = 1\ntag_feeds = true\n"


def _xml_files(folder: Path) -> Iterator[Path]:
    return (path for path in sorted(folder.rglob("*.xml")))


def test_xsl_names_the_stylesheet_in_every_rss_and_atom_document(site: SiteDir, invoke: Invoke) -> None:
    _articles(site)
    site.write_config(XSL_SITE)
    invoke("build", cwd=site.root)
    without = {path: path.read_bytes() for path in site.feeds.rglob("*") if path.is_file()}
    assert not (site.feeds / "feed.xsl").exists()
    assert not any(b"xml-stylesheet" in data for data in without.values())
    site.write_config(XSL_SITE + "xsl = true\n")
    invoke("build", cwd=site.root)
    stylesheet = (site.feeds / "feed.xsl").read_bytes()
    etree.XSLT(etree.fromstring(stylesheet))  # a stylesheet lxml compiles
    documents = list(_xml_files(site.feeds))
    assert {path.relative_to(site.feeds).as_posix() for path in documents} >= {
        "rss.xml",
        "archive/1/atom.xml",
        "tags/python/atom.xml",
        "tags/feeds/archive/1/rss.xml",
    }
    for path in documents:
        data = path.read_bytes()
        declaration, instruction, rest = data.split(b"\n", 2)
        assert declaration == b"<?xml version='1.0' encoding='UTF-8'?>"
        href = re.fullmatch(rb'<\?xml-stylesheet type="text/xsl" href="([^"]+)"\?>', instruction)
        assert href, instruction
        self_link = next(
            link.get("href") for link in etree.fromstring(data).iter(f"{ATOM}link") if link.get("rel") == "self"
        )
        assert urljoin(self_link, href[1].decode()) == FEEDS + "feed.xsl"
        assert declaration + b"\n" + rest == without[path]  # otherwise the same bytes
        if path.name == "atom.xml":
            assert_valid_atom(data)
        parse_feed(data)
    for path in site.feeds.rglob("feed.json"):
        assert path.read_bytes() == without[path]
    assert check_feeds({p.relative_to(site.feeds).as_posix(): p.read_bytes() for p in documents}, site.feeds) == []


def _transformed(feed: bytes, **parameters: str) -> html.HtmlElement:
    transform = etree.XSLT(etree.parse(str(ROOT / "src/feedpub/feeds/feed.xsl")))
    return html.fromstring(str(transform(etree.fromstring(feed), **parameters)))


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_the_stylesheet_shows_the_feed_and_its_items(site: SiteDir, name: str) -> None:
    _articles(site)
    site.write_config(SITE_CONFIG + "\n[build]\nxsl = true\n")
    feed = build_feeds(load_site(site.config))[name]
    page = _transformed(feed)
    assert page.findtext(".//h1") == "Test Site"
    assert "A site for tests." in page.text_content()
    assert FEEDS + name in page.findtext(".//p[@class='note']/code")
    assert [a.text for a in page.findall(".//article/h2/a")] == ["Second post", "First post"]
    assert [a.get("href") for a in page.findall(".//article/h2/a")] == [
        "https://example.org/2026/07/second/",
        "https://example.org/2026/03/first/",
    ]
    meta = [p.text_content() for p in page.findall(".//article/p[@class='meta']")]
    assert "Bo Chen, Cy Dunn" in meta[0] and "2026" in meta[0] and "Ana Lima" in meta[1]
    summary = page.findall(".//article/div")[1]
    assert html.tostring(summary, encoding="unicode") == "<div><p>The <em>first</em> paragraph.</p></div>"
    # where a processor cannot write HTML out (Firefox's), the summary's text, without its tags
    plain = _transformed(feed, plain="true()").findall(".//article/p")[-1]
    assert html.tostring(plain, encoding="unicode") == "<p>The first paragraph.</p>"


def test_turning_xsl_on_rewrites_the_full_archive_pages(site: SiteDir, invoke: Invoke) -> None:
    _articles(site)
    site.write_config(XSL_SITE)
    invoke("build", cwd=site.root)
    page = site.feeds / "archive/1/atom.xml"
    assert b"<fh:archive/>" in page.read_bytes() and b"xml-stylesheet" not in page.read_bytes()
    site.write_config(XSL_SITE + "xsl = true\n")
    invoke("build", cwd=site.root)
    assert b"xml-stylesheet" in page.read_bytes()


# feedpub links -----------------------------------------------------------------------------------


def test_links_prints_one_tag_per_format(site: SiteDir, invoke: Invoke) -> None:
    assert invoke("links", cwd=site.root).stdout == (
        '<link rel="alternate" type="application/rss+xml" title="Test Site (RSS)" href="https://example.org/feeds/rss.xml">\n'
        '<link rel="alternate" type="application/atom+xml" title="Test Site (Atom)" href="https://example.org/feeds/atom.xml">\n'
        '<link rel="alternate" type="application/feed+json" title="Test Site (JSON Feed)" '
        'href="https://example.org/feeds/feed.json">\n'
    )
    site.write_config(
        SITE_CONFIG.replace('title = "Test Site"', 'title = "A & \\"B\\""')
        + 'feeds_url = "https://cdn.example.net/f/"\n[build]\nformats = ["atom"]\n'
    )
    assert invoke("links", cwd=site.root).stdout == (
        '<link rel="alternate" type="application/atom+xml" title="A &amp; &quot;B&quot; (Atom)" '
        'href="https://cdn.example.net/f/atom.xml">\n'
    )


def test_links_html_prints_a_subscribe_block(site: SiteDir, invoke: Invoke) -> None:
    block = html.fromstring("<div>" + invoke("links", "--html", cwd=site.root).stdout + "</div>")
    assert "Subscribe" in block.findtext("p")
    assert [(a.text, a.get("href")) for a in block.findall("ul/li/a")] == [
        ("Test Site (RSS)", FEEDS + "rss.xml"),
        ("Test Site (Atom)", FEEDS + "atom.xml"),
        ("Test Site (JSON Feed)", FEEDS + "feed.json"),
    ]


def test_links_json_and_all_with_tags(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + '\n[build]\ntag_feeds = true\nformats = ["rss", "json"]\n')
    _articles(site)
    site.article("draft.md", "---\ntitle: D\ndate: 2026-01-01\ndraft: true\ntags: [secret]\n---\nText.\n")
    rows = json.loads(invoke("links", "--json", cwd=site.root).stdout)
    assert rows == [
        {"format": "rss", "type": "application/rss+xml", "title": "Test Site (RSS)", "url": FEEDS + "rss.xml"},
        {
            "format": "json",
            "type": "application/feed+json",
            "title": "Test Site (JSON Feed)",
            "url": FEEDS + "feed.json",
        },
    ]
    every = json.loads(invoke("links", "--all", "--json", cwd=site.root).stdout)
    assert every[:2] == rows
    assert [(row["kind"], row["name"], row["format"], row["title"], row["url"]) for row in every[2:]] == [
        ("tags", "feeds", "rss", "Test Site: feeds (RSS)", FEEDS + "tags/feeds/rss.xml"),
        ("tags", "feeds", "json", "Test Site: feeds (JSON Feed)", FEEDS + "tags/feeds/feed.json"),
        ("tags", "Python", "rss", "Test Site: Python (RSS)", FEEDS + "tags/python/rss.xml"),
        ("tags", "Python", "json", "Test Site: Python (JSON Feed)", FEEDS + "tags/python/feed.json"),
    ]  # the draft's tag has no feed, as in a build
    tags = invoke("links", "--all", cwd=site.root).stdout.splitlines()
    assert len(tags) == 6 and tags[2].endswith('title="Test Site: feeds (RSS)" href="' + FEEDS + 'tags/feeds/rss.xml">')


def test_links_all_says_when_there_are_no_topic_feeds(site: SiteDir, invoke: Invoke) -> None:
    result = invoke("links", "--all", cwd=site.root)
    assert "tag_feeds and author_feeds are off" in result.stderr
    assert result.stdout.count("<link ") == 3


def test_links_html_and_json_together_are_a_usage_error(site: SiteDir, invoke: Invoke) -> None:
    assert "choose one of them" in invoke("links", "--html", "--json", cwd=site.root, code=2).stderr


def _self_link(data: bytes, name: str) -> Any:
    if name == "feed.json":
        return json.loads(data)["feed_url"]
    root = etree.fromstring(data)
    return next(link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "self")


def test_the_links_are_the_built_feeds_self_links(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(
        SITE_CONFIG + 'feeds_url = "https://example.org/subscribe/"\n[build]\ntag_feeds = true\nauthor_feeds = true\n'
    )
    _articles(site)
    invoke("build", cwd=site.root)
    rows = json.loads(invoke("links", "--all", "--json", cwd=site.root).stdout)
    built = {path.relative_to(site.feeds).as_posix() for path in site.feeds.rglob("*") if path.name in TYPES}
    named = set()
    for row in rows:
        name = row["url"].removeprefix("https://example.org/subscribe/")
        named.add(name)
        assert _self_link((site.feeds / name).read_bytes(), Path(name).name) == row["url"]
    assert named == {name for name in built if "archive/" not in name}  # every subscription feed


def _readme_links_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Link tags for your site's <head>", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in section.split("```")[1::2]:
        for line in block.splitlines()[1:]:
            if line.startswith("feedpub links"):
                commands.append(shlex.split(line))
    return commands


def test_the_readmes_links_commands_run(site: SiteDir, invoke: Invoke) -> None:
    commands = _readme_links_commands()
    assert len(commands) >= 3
    site.write_config(SITE_CONFIG + "\n[build]\ntag_feeds = true\n")
    _articles(site)
    for words in commands:
        arguments, target = words[2:], None
        if ">" in arguments:
            arguments, target = arguments[: arguments.index(">")], arguments[arguments.index(">") + 1]
        output = invoke("links", *arguments, cwd=site.root).stdout
        assert "https://example.org/feeds/atom.xml" in output, words
        if target is not None:  # a template's include: the folder it names is the generator's
            assert target.endswith(".html") and ("_includes/" in target or "layouts/partials/" in target)


def test_links_needs_no_articles_folder(site: SiteDir, invoke: Invoke) -> None:
    (site.articles).rmdir()
    assert invoke("links", cwd=site.root).stdout.count("<link ") == 3


def test_with_both_options_off_a_build_has_neither_file() -> None:
    config = replace(load_config(ROOT / "feedpub.toml"), html_page=False, xsl=False)
    files = build_feeds(load_site(config))
    assert "index.html" not in files and "feed.xsl" not in files


def test_the_quick_starts_link_tags_are_what_feedpub_links_prints(invoke: Invoke) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    [block] = [chunk for chunk in quick.split("```")[1::2] if chunk.startswith("html")]
    shown = [line.strip() for line in block.splitlines()[1:] if line.strip()]
    assert shown == invoke("links", "--config", str(ROOT / "feedpub.toml")).stdout.splitlines()
