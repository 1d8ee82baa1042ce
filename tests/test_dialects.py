"""Every front-matter dialect and article document, one fixture file each (tests/articles/valid/)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SITE_CONFIG, TESTS, Invoke, SiteDir, parse_feed

from feedpub import build_feeds, load_site
from feedpub.build.pipeline import make_schedule
from feedpub.model import Article

VALID = TESTS / "articles" / "valid"

# fixture (relative to tests/articles/valid) -> the fields the article must have
CASES: dict[str, dict[str, Any]] = {
    "_posts/jekyll-yaml.md": {
        "title": "Jekyll: a post with a colon",
        "date": "2025-03-14T09:30:00+01:00",
        "updated": "2025-04-01T00:00:00+02:00",
        "summary": "The hand-written excerpt.",
        "tags": ("feeds", "python", "jekyll", "update"),  # in `_posts`, `categories: a b` is two, as Jekyll reads it
        "slug": "jekyll-yaml",
    },
    "_posts/2025-02-03-jekyll-file-name-date.md": {
        "title": "Jekyll date from the file name",
        "date": "2025-02-03T00:00:00+01:00",
        "slug": "jekyll-file-name-date",
        "url": "https://example.org/2025/02/jekyll-file-name-date/",
        "draft": False,
    },
    "hugo-toml.md": {
        "title": "Hugo in TOML",
        "date": "2025-05-06T07:08:09+02:00",
        "updated": "2025-05-07T00:00:00+00:00",
        "summary": "A description standing in for the summary.",
        "tags": ("hugo", "toml", "notes"),
    },
    "hugo-json.md": {"title": "Hugo in JSON", "date": "2025-06-01T00:00:00+02:00", "authors": ("Ana Lima",)},
    "hugo-publishdate-chain.md": {
        "title": "Hugo with only publishDate",
        "date": "2025-07-01T10:00:00+00:00",
        "expiry_date": "2099-01-01T00:00:00+01:00",
    },
    "pelican-headers.md": {
        "title": "Pelican headers",
        "date": "2025-08-09T10:20:00+02:00",
        "updated": "2025-08-10T11:00:00+02:00",
        "tags": ("pelican", "publishing", "Python"),
        "slug": "pelican-headers-slug",
        "authors": ("Alexis Métaireau", "Conan Doyle"),
        "summary": "Short version for index pages.",
        "body": "This is the content of a Pelican post.\n",
    },
    "eleventy-yaml.markdown": {
        "title": "Eleventy in .markdown",
        "tags": ("post", "eleventy"),
        "authors": ("Zoë Ørsted",),
        "author_detail": ("zoe@example.org", "https://example.org/zoe/"),
    },
    "bom-crlf.md": {"title": "BOM and CRLF", "date": "2025-10-11T12:13:00+02:00", "body": "Line one.\n\nLine two.\n"},
    "lone-cr.md": {"title": "Lone CR line ends", "body": "Body.\n"},
    "json-document.json": {
        "title": "A JSON article document",
        "summary": "From a CMS export.",
        "authors": ("Ana Lima", "Ben Okafor"),
        "body": "The body in *Markdown*.",
    },
    "yaml-document.yaml": {
        "title": "A YAML article document",
        "tags": ("yaml", "documents"),
        "body": "The body of a YAML document.\n\nSecond paragraph.\n",
    },
    "toml-document-html.toml": {"title": "A TOML article document", "body_is_html": True},
    "page-bundle/index.md": {
        "title": "A page bundle",
        "slug": "page-bundle",
        "image": "https://example.org/2025/11/page-bundle/cover.png",
    },
    "more-separator.md": {"title": "Excerpt separator", "language": "fr"},
    "key-points.md": {"summary": "The standfirst is the summary.", "key_points": ("First point.", "Second *point*.")},
    "hugo-url.md": {
        "url": "https://example.org/about/history/",
        "id": "urn:uuid:6f1c2f34-9c1e-4d0e-8a3e-3a9f7b1c0d42",
    },
    "typed-toml-values.md": {"title": "1984", "tags": ("a", "b")},
    # Hugo reads front matter after blank (or whitespace-only) lines; many Hugo sites start with one.
    "front-matter-after-blank-lines.md": {
        "title": "Hugo with blank lines first",
        "date": "2025-12-01T08:00:00+01:00",
        "body": "The body.\n",
        "body_line": 7,
    },
    "front-matter-after-blank-lines-toml.md": {"title": "Hugo TOML after a blank line", "body": "The body.\n"},
    "front-matter-after-blank-lines-json.md": {"title": "Hugo JSON after a blank line", "body": "The body.\n"},
    # Offsets as Ruby and JavaScript generators read them.
    "offset-hours-only.md": {"date": "2016-09-27T14:00:00-04:00", "updated": "2016-09-28T09:00:00+05:00"},
    "offset-hhmm-and-half-hours.md": {"date": "2016-09-27T14:00:00-04:00", "updated": "2016-09-27T23:30:00+05:30"},
    # Python-Markdown's meta rule (Pelican's): the first line that is not a header starts the body.
    "pelican-headers-then-text.md": {"title": "Pelican without a blank line", "body": "this is text already\n"},
    "pelican-headers-continued-then-text.md": {
        "summary": "A summary that goes on over a second line.",
        "body": "The first line of the body.\n\nSecond paragraph.\n",
        "body_line": 5,
    },
}


def test_every_valid_fixture_has_a_case() -> None:
    found = sorted(p.relative_to(VALID).as_posix() for p in VALID.rglob("*") if p.is_file())
    assert found == sorted(CASES)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Article]:
    root = tmp_path_factory.mktemp("dialects")
    site = SiteDir(root)
    shutil.copytree(VALID, site.articles)
    site.write_config('[site]\ntitle = "T"\nurl = "https://example.org/"\ntimezone = "Europe/Berlin"\n')
    loaded = load_site(site.config)
    assert [w.format() for w in loaded.warnings] == []
    return {a.path.relative_to(site.articles).as_posix(): a for a in loaded.articles}


def _value(article: Article, field: str) -> Any:
    if field == "authors":
        return tuple(author.name for author in article.authors)
    if field == "author_detail":
        return (article.authors[0].email, article.authors[0].url)
    value = getattr(article, field)
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize(("name", "expected"), [pytest.param(n, e, id=n) for n, e in CASES.items()])
def test_dialect(articles: dict[str, Article], name: str, expected: dict[str, Any]) -> None:
    article = articles[name]
    assert {field: _value(article, field) for field in expected} == expected


def test_every_dialect_builds_a_clean_feed(articles: dict[str, Article], tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    shutil.copytree(VALID, site.articles)
    site.write_config('[site]\ntitle = "T"\nurl = "https://example.org/"\n[build]\nlimit = 100\n')
    loaded = load_site(site.config)
    files = build_feeds(loaded, make_schedule(loaded.config, "2026-01-01"))
    entries = {e.title: e for e in parse_feed(files["atom.xml"]).entries}
    assert set(entries) == {a.title for a in articles.values()}
    assert entries["Excerpt separator"].summary == "<p>The part <em>before</em> the separator.</p>"
    assert entries["Excerpt separator"].content[0].language == "fr"
    toml = entries["A TOML article document"]
    assert 'href="https://example.org/rel/"' in toml.content[0].value
    assert toml.summary == '<p>Ready <b>HTML</b> with a <a href="https://example.org/rel/">relative link</a>.</p>'
    points = entries["Key points up top"].content[0].value
    assert points.startswith("<h2>Key points</h2>\n<ul>\n<li>First point.</li>\n<li>Second <em>point</em>.</li>")
    assert parse_feed(files["rss.xml"]).entries


def test_tag_text_is_split_at_commas_and_in_jekyll_posts_at_blanks(site: SiteDir) -> None:
    front = "---\ntitle: {title}\ndate: 2026-01-01\ntags: {tags}\ncategory: Machine Learning\n---\n"
    site.article("_posts/2026-01-01-jekyll.md", front.format(title="J", tags="deep learning"))
    site.article("_posts/2026-01-02-commas.md", front.format(title="C", tags="deep learning, python"))
    site.article("posts/hugo.md", front.format(title="H", tags="deep learning"))
    tags = {article.title: article.tags for article in load_site(site.config).articles}
    assert tags == {
        "J": ("deep", "learning", "Machine Learning"),  # Jekyll: plural keys split at blanks, `category` whole
        "C": ("deep learning", "python", "Machine Learning"),
        "H": ("deep learning", "Machine Learning"),
    }


def test_author_email_may_be_a_mailto_link_and_is_written_bare(site: SiteDir) -> None:
    site.article(
        "a.md", "---\ntitle: A\ndate: 2026-01-01\nauthor: {name: Ann, email: 'mailto:ann@example.org'}\n---\nx\n"
    )
    [article] = load_site(site.config).articles
    assert (article.authors[0].email, article.authors[0].url) == ("ann@example.org", None)
    files = build_feeds(load_site(site.config))
    assert b"<email>ann@example.org</email>" in files["atom.xml"]


def test_a_jekyll_date_with_stray_words_after_it_is_read_as_jekyll_reads_it(site: SiteDir, invoke: Invoke) -> None:
    """jekyll/jekyll's own news has `date: 2023-01-29 18:30:22 2023 -0800`: Ruby's Time.parse keeps the
    date and time, drops what follows (the zone too, here) and reads them in the site's zone; so does
    feedpub, in a `_posts` folder, with a warning. Elsewhere (Hugo, Pelican refuse it) it is an error."""
    site.write_config(SITE_CONFIG.replace("Europe/Berlin", "America/Los_Angeles"))
    stray = "---\ntitle: Released\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nx\n"
    site.article("_posts/2023-01-29-released.md", stray)
    result = invoke("build", cwd=site.root)
    assert (
        "articles/_posts/2023-01-29-released.md:3: warning: 'date': '2023-01-29 18:30:22 2023 -0800' is read as "
        "2023-01-29T18:30:22-08:00, as Jekyll reads it: what follows the date, '2023 -0800', is left out"
    ) in result.stderr
    [entry] = parse_feed((site.feeds / "atom.xml").read_bytes()).entries
    assert entry.published == "2023-01-29T18:30:22-08:00"
    site.article("_posts/2023-01-30-zone.md", "---\ntitle: Zone\ndate: 2023-01-30 09:00 +0100 Monday\n---\nx\n")
    invoke("build", cwd=site.root)
    published = {e.title: e.published for e in parse_feed((site.feeds / "atom.xml").read_bytes()).entries}
    assert published["Zone"] == "2023-01-30T09:00:00+01:00"  # a zone right after the time is the date's

    site.article("posts/hugo.md", "---\ntitle: Hugo\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nx\n")
    refused = invoke("build", cwd=site.root, code=1)
    assert "articles/posts/hugo.md:3: error: 'date' could not be read" in refused.stderr
