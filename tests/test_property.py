"""Any title, summary and body either builds feeds that readers parse back unchanged, or is a clear error."""

from __future__ import annotations

import html
import json
import re
import tempfile
from pathlib import Path

import pytest
from conftest import SITE_CONFIG, SiteDir, assert_valid_json_feed, parse_feed
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from feedpub import ConfigError, ContentError, build_feeds, load_site
from feedpub.build import ledger
from feedpub.read.fields import FORBIDDEN, LOST, SURROGATE, find_forbidden, is_clean
from feedpub.read.newsroom import escape_markdown
from feedpub.render.markup import plain_text

# Everything but surrogates (JSON front matter carries the rest, raw), with XML's troublemakers mixed in.
TEXT = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
        st.sampled_from(["<", ">", "&", "&amp;", "]]>", "<script>", "\x00", "\x0b", "\ufffe", "\u202e", "e\u0301"]),
    ),
    max_size=6,
).map("".join)


def plain(text: str) -> str:
    """What a reader should show: forbidden characters gone, blanks collapsed."""
    return " ".join(FORBIDDEN.sub("", text).split())


# feedparser "repairs" any text that reads as UTF-8 taken for Latin-1: "Â¡" comes back as "¡",
# whoever wrote it. A pair like that (a UTF-8 lead byte, then a continuation byte, as Latin-1
# characters) cannot come back unchanged through feedparser, so such examples are passed over.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


def feedparser_repairs(text: str) -> bool:
    return bool(_MOJIBAKE.search(FORBIDDEN.sub("", text)) or _MOJIBAKE.search(plain(text)))


# Each engine: the default (CommonMark), and the generators' own.
def shown_title(title: str) -> str:
    """The text a browser shows of a title written as HTML: its character references decoded, its tags
    gone (what html.parser reads as text; a title of nothing but tags stays as written)."""
    if "&" not in title and "<" not in title:
        return title
    return plain_text(title) or title


PRESETS = pytest.mark.parametrize("preset", ["auto", "python-markdown", "pelican", "hugo", "eleventy"])


@PRESETS
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, summary=TEXT, body=TEXT)
@example(title="0", summary="", body=":")  # escaped to "&#58;", a paragraph Python-Markdown stashes whole
def test_round_trip(preset: str, title: str, summary: str, body: str) -> None:
    assume(not any(feedparser_repairs(text) for text in (title, summary, body)))
    with tempfile.TemporaryDirectory() as folder:
        site = SiteDir(Path(folder))
        site.articles.mkdir()
        site.write_config(SITE_CONFIG + f'[build]\nmarkdown = "{preset}"\n')
        front = {"title": title, "date": "2026-05-01 10:00", "summary": escape_markdown(plain(summary))}
        site.article("a.md", json.dumps(front, ensure_ascii=False, indent=1) + "\n" + escape_markdown(plain(body)))
        if not plain(title):
            with pytest.raises(ContentError, match="'title'"):
                load_site(site.config)
            return
        files = build_feeds(load_site(site.config))
    # Pelican's and Eleventy's templates write a title as HTML: the feeds carry the text it shows.
    title = shown_title(plain(title)) if preset in ("pelican", "eleventy") else plain(title)
    for name in ("rss.xml", "atom.xml"):
        [entry] = parse_feed(files[name]).entries
        # RSS 2.0 does not say whether a title is text or HTML; feedparser takes one that looks like HTML
        # as HTML. A title holding an entity (`&amp;`) is ambiguous in RSS whatever the publisher does.
        shown = html.unescape(entry.title) if entry.title_detail.type == "text/html" else entry.title
        if name == "atom.xml" or not re.search(r"&#?\w+;", title):
            assert " ".join(shown.split()) == title, name
        if plain(summary):
            assert plain(html.unescape(re.sub(r"</?p>", "", entry.summary))) == plain(summary), name
        # A byte-order mark that starts a document is no text; CommonMark drops it (cmark-gfm does).
        if plain(body).lstrip("\ufeff"):
            shown_body = plain(html.unescape(re.sub(r"</?p>", "", entry.content[0].value))).lstrip("\ufeff")
            assert shown_body == plain(body).lstrip("\ufeff"), name
    [item] = assert_valid_json_feed(files["feed.json"])["items"]
    assert " ".join(item["title"].split()) == title
    if plain(summary):
        assert item["summary"] == plain(summary)


MARKDOWN = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=4),
        st.sampled_from(["_", "__", "*", "**", "\\", "\\\\", "`", "[", "](", ")", "<", ">", "&", "!", "#", "- "]),
        st.sampled_from(["\n", "\n\n", "    ", "<!--more-->", "<div>", "</div>", "x", " "]),
    ),
    max_size=24,
).map("".join)


@PRESETS
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=MARKDOWN)
@example(body="__x_ y_z\\\\_w_")  # Python-Markdown leaks a placeholder here; too rare for random search
@example(body="_[__\\\\\\__\\[ \n\n\\")
def test_any_markdown_body_builds_a_clean_feed_or_is_a_clear_error(preset: str, body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = SiteDir(Path(folder))
        site.articles.mkdir()
        site.write_config(SITE_CONFIG + f'[build]\nmarkdown = "{preset}"\n')
        site.article("a.md", "---\ntitle: A\ndate: 2026-05-01 10:00\n---\n" + body)
        try:
            files = build_feeds(load_site(site.config))
        except ContentError as error:  # anything else (a ValueError from the XML writer) fails the test
            assert all(problem.path.name == "a.md" and problem.message for problem in error.problems)
            return
    for name in ("rss.xml", "atom.xml"):
        assert len(parse_feed(files[name]).entries) == 1, name
    assert len(assert_valid_json_feed(files["feed.json"])["items"]) == 1


@given(
    text=st.text(
        st.one_of(
            st.characters(blacklist_categories=("Cs",)),
            st.sampled_from(["\x00", "\x9f", "\ufdd0", "\ufffe", "\U0001fffe", "\U0010ffff", "\U0001f600", "é"]),
        )
    )
)
def test_the_fast_search_for_forbidden_characters_finds_what_the_pattern_finds(text: str) -> None:
    fast, slow = find_forbidden(text), FORBIDDEN.search(text)
    assert (fast and fast.start()) == (slow and slow.start())


_LEDGER_PIECES = ["\t", "\n", "\r", "\r\n", "\u2028", "\x85", "#", " ", "\u3000", "a", "b.md", "tag:x,2024:é", ""]


@given(
    text=st.lists(st.sampled_from(_LEDGER_PIECES), max_size=24).map("".join)
    | st.dictionaries(st.sampled_from(["a.md", "b/c.md", " d.md", "é.md"]), st.sampled_from(["x", "tag:y", " z"])).map(
        lambda ids: "# header\n" + "".join(f"{key}\t{ident}\n" for key, ident in sorted(ids.items()))
    )
)
@example(text="# feedpub's id ledger\na.md\ttag:x\nb.md\ttag:y\n")
@example(text="")
@example(text="a.md\ttag:x\n")
def test_the_ledger_as_feedpub_writes_it_reads_as_it_does_line_by_line(text: str) -> None:
    """The id ledger's fast reading gives what reading it line by line gives, or leaves it to that."""
    fast = ledger._as_written(text)
    try:
        slow = ledger._line_by_line(text, Path("ids.txt"))
    except ConfigError:
        assert fast is None
    else:
        assert fast is None or fast == slow
    if text.startswith("# feedpub's") and "\r" not in text:
        assert fast is not None  # (what Ledger.text writes is read fast)


def test_what_the_ledger_writes_is_read_back_fast() -> None:
    written = ledger.Ledger(Path("ids.txt"), Path("articles"), {"b/c.md": "tag:x,2024:c", "a.md": "tag:x,2024:a"})
    assert ledger._as_written(written.text().decode()) == written.ids


_TROUBLE = ["\x00", "\x9f", "\ud800", "\udfff", "\ufdd0", "\ufffd", "\ufffe", "\U0001fffe", "\U0010ffff"]


@given(
    text=st.lists(
        st.one_of(
            st.text(st.characters(blacklist_categories=()), max_size=4),  # surrogates too: an escape makes one
            st.sampled_from([*_TROUBLE, "\U0001f600", "é"]),
        ),
        max_size=6,
    ).map("".join)
)
@example(text="")
@example(text="plain text, ascii")
@example(text="a \x00 b")
@example(text="a \x9f b")
@example(text="a \ud800 b")
@example(text="a \ufdd0 b")
@example(text="a \ufffd b")
@example(text="a \ufffe b")
@example(text="a \U0001fffe b")
@example(text="a \U0010ffff b")
def test_the_one_pass_check_finds_every_text_that_needs_cleaning(text: str) -> None:
    needs_cleaning = bool(FORBIDDEN.search(text) or SURROGATE.search(text) or LOST in text)
    assert not (needs_cleaning and is_clean(text))


# RFC 4151's tag URI (its last part URI characters), as in test_feeds.
TAG_URI = re.compile(
    r"tag:(?:[a-z0-9._-]+@)?[a-z0-9.-]+,\d{4}(?:-\d{2}(?:-\d{2})?)?:(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-F]{2})*"
)
# A file's name, as people name them: any script, blanks and punctuation, never "/" or a leading ".".
NAME = st.text(
    st.characters(whitelist_categories=("L", "N", "M", "P", "S", "Zs"), blacklist_characters="/\\"),
    min_size=1,
    max_size=20,
).filter(lambda name: not name.startswith(".") and name.strip() == name and len(name.encode()) < 200)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=NAME, tag=NAME, picture=NAME)
@example(stem="Straße 1", tag="C#", picture="100% #1")  # a "%" that starts no escape, a "#"
@example(stem="0", tag="0", picture="[")  # a bracket, which only a host may hold
@example(stem="0", tag="0", picture="a:")  # `a:.jpg` names the scheme a: an error
def test_any_file_and_tag_name_gives_ids_that_are_tag_uris_and_urls_that_are_uris(
    stem: str, tag: str, picture: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = SiteDir(Path(folder))
        site.articles.mkdir()
        site.write_config(SITE_CONFIG + "[build]\ntag_feeds = true\n")
        front = {"title": "T", "date": "2026-05-01 10:00", "tags": [tag], "image": picture + ".jpg"}
        try:
            site.article(f"{stem}.md", json.dumps(front, ensure_ascii=False) + "\nText.\n")
        except OSError:  # a name this file system refuses
            assume(False)
        try:
            files = build_feeds(load_site(site.config))
        except ContentError as error:  # a clear error, at its line: an image named as no http(s) URL
            assert [problem.line for problem in error.problems] == [1], error.problems  # (JSON on one line)
            assert "no http(s) URL or path on the site" in error.problems[0].message
            return
    for name, data in files.items():
        if name.endswith("atom.xml"):
            for entry in parse_feed(data).entries:
                assert TAG_URI.fullmatch(entry.id), entry.id
        if name.endswith("feed.json"):
            assert_valid_json_feed(data)  # with its formats: every URL a URI
