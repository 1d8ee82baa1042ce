"""Full history as RFC 5005 archived feeds: every item a feed ever showed is on exactly one page,
pages link each other, and a full page never changes unless one of its own articles does."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import SITE_CONFIG, Invoke, SiteDir, assert_valid_atom, assert_valid_json_feed, parse_feed
from lxml import etree

from feedpub import publish
from feedpub.build import archives, pipeline
from feedpub.config import load_config
from feedpub.feeds import FORMATS, spec
from feedpub.feeds.archives import pages
from feedpub.render import Renderer

HISTORY = "{http://purl.org/syndication/history/1.0}archive"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_pages_count_from_the_oldest_and_a_full_newest_page_is_followed_by_an_open_one() -> None:
    seven = pages(list(range(1, 8)), 3)
    assert [(page.number, page.items, page.full, page.newest) for page in seven] == [
        (1, (3, 2, 1), True, False),
        (2, (6, 5, 4), True, False),
        (3, (7,), False, True),
    ]
    six = pages(list(range(1, 7)), 3)
    assert [(page.items, page.full, page.newest) for page in six][-1] == ((), False, True)
    assert pages([], 3) == [] and pages([1, 2], 0) == []


def write_site(site: SiteDir, count: int, extra: str = "", start: int = 1) -> None:
    site.write_config(SITE_CONFIG + f"\n[build]\nlimit = 2\narchive_size = 3\n{extra}")
    for day in range(start, start + count):
        tag = "odd" if day % 2 else "even"
        site.article(
            f"post-{day:02d}.md", f"---\ntitle: Post {day}\ndate: 2026-01-{day:02d}\ntags: [{tag}]\n---\nText {day}.\n"
        )


def links(data: bytes) -> dict[str, str]:
    root = etree.fromstring(data)
    return {link.get("rel"): link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") != "alternate"}


def test_every_item_is_on_one_page_and_the_pages_link_each_other(site: SiteDir, invoke: Invoke) -> None:
    write_site(site, 9)
    invoke("build", cwd=site.root)
    feeds = "https://example.org/feeds/"
    names = sorted(path.relative_to(site.feeds).as_posix() for path in site.feeds.rglob("atom.xml"))
    assert names == ["archive/1/atom.xml", "archive/2/atom.xml", "archive/3/atom.xml", "atom.xml"]
    subscription = (site.feeds / "atom.xml").read_bytes()
    assert links(subscription)["prev-archive"] == feeds + "archive/3/atom.xml"
    titles = [entry.title for entry in parse_feed(subscription).entries]
    expected = {
        1: (["Post 3", "Post 2", "Post 1"], True, None, feeds + "archive/2/atom.xml"),
        2: (["Post 6", "Post 5", "Post 4"], True, feeds + "archive/1/atom.xml", feeds + "archive/3/atom.xml"),
        3: (["Post 7"], False, feeds + "archive/2/atom.xml", None),
    }
    for number, (page_titles, full, prev_archive, next_archive) in expected.items():
        data = (site.feeds / f"archive/{number}/atom.xml").read_bytes()
        assert_valid_atom(data)
        parsed = parse_feed(data)
        assert [entry.title for entry in parsed.entries] == page_titles
        assert parsed.feed.id == feeds + "atom.xml"  # one logical feed
        found = links(data)
        assert found["self"] == feeds + f"archive/{number}/atom.xml"
        assert found["current"] == feeds + "atom.xml"
        assert found.get("prev-archive") == prev_archive and found.get("next-archive") == next_archive
        assert (etree.fromstring(data).find(HISTORY) is not None) == full  # the open page may still change
        titles += page_titles
    assert sorted(titles) == sorted(f"Post {day}" for day in range(1, 10))  # each once
    # RSS carries the same links as atom:link elements (RFC 5005, appendix B), and fh:archive
    rss = etree.fromstring((site.feeds / "archive/2/rss.xml").read_bytes())
    channel = rss.find("channel")
    assert {link.get("rel"): link.get("href") for link in channel.iter(f"{ATOM}link")} == {
        "self": feeds + "archive/2/rss.xml",
        "current": feeds + "rss.xml",
        "prev-archive": feeds + "archive/1/rss.xml",
        "next-archive": feeds + "archive/3/rss.xml",
    }
    assert channel.find(HISTORY) is not None
    assert [item.title for item in parse_feed(etree.tostring(rss)).entries] == ["Post 6", "Post 5", "Post 4"]
    # JSON Feed's next_url leads from the newest items to the oldest
    chain, name = [], "feed.json"
    while name:
        document = assert_valid_json_feed((site.feeds / name).read_bytes())
        chain += [item["title"] for item in document["items"]]
        name = document.get("next_url", feeds).removeprefix(feeds)
    assert chain == [f"Post {day}" for day in range(9, 0, -1)]


def test_a_new_article_changes_only_the_subscription_feeds_and_the_newest_page(site: SiteDir, invoke: Invoke) -> None:
    write_site(site, 8)  # pages 1 and 2 full (6 archived), page 3 open and empty
    invoke("build", cwd=site.root)
    assert json.loads((site.feeds / "archive/3/feed.json").read_bytes())["items"] == []
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in site.feeds.rglob("*.*")}
    time.sleep(0.01)
    write_site(site, 1, start=9)
    invoke("build", cwd=site.root)
    changed = sorted(
        path.relative_to(site.feeds).as_posix()
        for path, (data, mtime) in before.items()
        if path.read_bytes() != data or path.stat().st_mtime_ns != mtime
    )
    assert changed == sorted(
        ["index.html"]  # the page lists the newest items
        + [f"{folder}{name}" for folder in ("", "archive/3/") for name in ("atom.xml", "feed.json", "rss.xml")]
    )
    # an edit of an archived article changes its page, and only that one
    before = {path: path.read_bytes() for path in site.feeds.rglob("*.*")}
    post = site.articles / "post-02.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Text 2.", "Text two."), encoding="utf-8")
    invoke("build", "--no-cache", cwd=site.root)
    changed = sorted(
        path.relative_to(site.feeds).as_posix() for path, data in before.items() if path.read_bytes() != data
    )
    assert changed == ["archive/1/atom.xml", "archive/1/feed.json", "archive/1/rss.xml"]


def test_unchanged_pages_are_neither_rendered_nor_written_again(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(site, 12)
    rendered: list[str] = []
    real = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, article: rendered.append(article.title) or real(self, article))
    first = publish(site.config)
    assert sorted(rendered) == sorted(f"Post {day}" for day in range(1, 13))  # every article, once
    rendered.clear()
    post = site.articles / "post-04.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Text 4.", "Text four."), encoding="utf-8")
    again = publish(site.config)
    assert rendered == ["Post 4"]
    written = sorted(path.relative_to(site.feeds).as_posix() for path in again.report.written)
    assert written == ["archive/2/atom.xml", "archive/2/feed.json", "archive/2/rss.xml"]
    assert len(again.report.unchanged) == len(first.report.written) - 3


def test_subscription_feeds_made_from_what_they_were_made_from_are_kept_unmade(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit on an archive page leaves the subscription documents (and the page for people) as they
    are, without making them; an edit by hand of one of them, or of an article they carry, remakes them."""
    write_site(site, 12, "tag_feeds = true\n")
    made: list[str] = []
    real = pipeline._feed_files
    monkeypatch.setattr(pipeline, "_feed_files", lambda *args: made.append("made") or real(*args))
    first = publish(site.config)
    subscription = {name: data for name, data in first.feeds.items() if "archive/" not in name}
    assert "atom.xml" in subscription and "index.html" in subscription and "tags/odd/atom.xml" in subscription
    assert made == ["made"]

    post = site.articles / "post-04.md"  # on an archive page: the subscription documents do not carry it
    post.write_text(post.read_text(encoding="utf-8").replace("Text 4.", "Text four."), encoding="utf-8")
    again = publish(site.config)
    assert made == ["made"], "made again"
    assert {name: (site.feeds / name).read_bytes() for name in subscription} == subscription
    assert {name: again.feeds[name] for name in subscription} == subscription
    unchanged = {path.relative_to(site.feeds).as_posix() for path in again.report.unchanged}
    assert set(subscription) <= unchanged

    (site.feeds / "atom.xml").write_bytes(b"edited by hand")
    publish(site.config)
    assert made == ["made", "made"] and (site.feeds / "atom.xml").read_bytes() == subscription["atom.xml"]

    newest = site.articles / "post-12.md"
    newest.write_text(newest.read_text(encoding="utf-8").replace("Text 12.", "Text twelve."), encoding="utf-8")
    publish(site.config)
    assert made == ["made", "made", "made"]
    assert b"Text twelve." in (site.feeds / "atom.xml").read_bytes()
    assert publish(site.config, use_cache=False).feeds == publish(site.config).feeds


def test_since_keeps_old_articles_in_the_archives_only(site: SiteDir, invoke: Invoke) -> None:
    write_site(site, 5, extra='since = "2026-01-04"\n')
    invoke("build", cwd=site.root)
    assert [entry.title for entry in parse_feed((site.feeds / "atom.xml").read_bytes()).entries] == ["Post 5", "Post 4"]
    archived = parse_feed((site.feeds / "archive/1/atom.xml").read_bytes()).entries
    assert [entry.title for entry in archived] == ["Post 3", "Post 2", "Post 1"]


def test_topic_feeds_have_archives_too(site: SiteDir, invoke: Invoke) -> None:
    write_site(site, 9, extra="tag_feeds = true\n")
    invoke("build", cwd=site.root)
    odd = site.feeds / "tags" / "odd"  # posts 1, 3, 5, 7, 9: 9 and 7 subscribed, 5, 3, 1 a full page
    assert [entry.title for entry in parse_feed((odd / "atom.xml").read_bytes()).entries] == ["Post 9", "Post 7"]
    page = (odd / "archive/1/atom.xml").read_bytes()
    assert [entry.title for entry in parse_feed(page).entries] == ["Post 5", "Post 3", "Post 1"]
    assert links(page)["current"] == "https://example.org/feeds/tags/odd/atom.xml"
    assert (
        links((odd / "atom.xml").read_bytes())["prev-archive"]
        == "https://example.org/feeds/tags/odd/archive/2/atom.xml"
    )
    assert json.loads((odd / "archive/2/feed.json").read_bytes())["items"] == []


def test_pages_and_topics_that_are_no_more_are_removed(site: SiteDir, invoke: Invoke) -> None:
    write_site(site, 9, extra="tag_feeds = true\n")
    invoke("build", cwd=site.root)
    foreign = site.feeds / "archive" / "9" / "atom.xml"
    foreign.parent.mkdir()
    foreign.write_text("<feed>not one of ours</feed>", encoding="utf-8")
    for day in (1, 3, 4, 5, 6, 7, 8, 9):
        (site.articles / f"post-{day:02d}.md").unlink()
    result = invoke("build", cwd=site.root)
    assert result.exit_code == 0
    left = sorted(path.relative_to(site.feeds).as_posix() for path in site.feeds.rglob("*") if path.is_file())
    assert left == [
        "archive/9/atom.xml",  # not feedpub's: left alone
        "atom.xml",
        "feed.json",
        "index.html",
        "rss.xml",
        "tags/even/atom.xml",
        "tags/even/feed.json",
        "tags/even/rss.xml",
    ]
    assert not (site.feeds / "tags" / "odd").exists()  # the folders emptied go too


def test_archive_size_0_writes_no_archives(site: SiteDir, invoke: Invoke) -> None:
    write_site(site, 9, extra="")
    site.write_config(site.config.read_text(encoding="utf-8").replace("archive_size = 3", "archive_size = 0"))
    invoke("build", cwd=site.root)
    assert not (site.feeds / "archive").exists()
    assert "prev-archive" not in (site.feeds / "atom.xml").read_text(encoding="utf-8")
    assert "next_url" not in (site.feeds / "feed.json").read_text(encoding="utf-8")


def test_a_negative_archive_size_is_refused(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + "\n[build]\narchive_size = -1\n")
    result = invoke("build", cwd=site.root, code=1)
    assert "archive_size" in result.stderr and "must be 0 (none) or more" in result.stderr


def test_an_archived_article_that_cannot_be_rendered_changes_no_feed(site: SiteDir, invoke: Invoke) -> None:
    write_site(site, 6, extra='markdown = "python-markdown"\n')
    invoke("build", cwd=site.root)
    before = {path: path.read_bytes() for path in site.feeds.rglob("*.*")}
    site.article("post-01.md", "---\ntitle: Post 1\ndate: 2026-01-01\n---\n" + "> " * 300 + "Too deep.\n")
    result = invoke("build", cwd=site.root, code=1)
    assert "post-01.md" in result.stderr
    assert {path: path.read_bytes() for path in site.feeds.rglob("*.*")} == before
    kept = invoke("build", "--keep-going", cwd=site.root, code=5)
    assert "post-01.md" in kept.stderr
    titles = [entry.title for entry in parse_feed((site.feeds / "archive/1/atom.xml").read_bytes()).entries]
    assert titles == ["Post 3", "Post 2"]


def relative_files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_pages_made_by_worker_processes_are_the_same(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(site, 14, extra="tag_feeds = true\n")
    monkeypatch.setattr(archives, "PARALLEL_FROM", 1)  # workers even for a few articles
    config = load_config(site.config)
    results = {}
    for jobs in (1, 2):
        output = site.root / f"jobs-{jobs}"
        result = publish(replace(config, output=output, cache=site.root / f"cache-{jobs}"), jobs=jobs)
        results[jobs] = {name: (output / name).read_bytes() for name in relative_files(output)}
        assert result.stats.rendered == 14
    # 3 formats of: the main feed and its 5 pages (4 full, 1 open), and for odd and even, the feed and 2 pages
    assert len(results[2]) == 3 * (6 + 3 + 3) + 1  # and index.html
    assert results[1] == results[2]


def test_pages_made_by_workers_are_on_disk_before_any_file_is_renamed(
    site: SiteDir, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers write their pages unsynced and go on; the build's process syncs each page it adopts in a
    thread of its own, and renames nothing until every one is synced. Without the cache, every page of
    both waves (the main feed's, the tags') is made again, fsynced and renamed."""
    write_site(site, 14, "tag_feeds = true\n")
    monkeypatch.setattr(archives, "PARALLEL_FROM", 1)
    events: list[str] = []
    real_fsync, real_replace = os.fsync, Path.replace

    def fsync(descriptor: int) -> None:
        if threading.current_thread().name == "feedpub-fsync":
            time.sleep(0.01)  # a slow disk: the renames must wait for it
            events.append("synced")
        real_fsync(descriptor)

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        events.append("renamed")
        return real_replace(self, target)

    real_pool = ProcessPoolExecutor.__init__

    def pool(self: ProcessPoolExecutor, *args: Any, **kwargs: Any) -> None:  # its workers fork
        syncing = any(thread.name == "feedpub-fsync" for thread in threading.enumerate())
        events.append("forked while syncing" if syncing else "forked")
        real_pool(self, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Path, "replace", rename)
    monkeypatch.setattr(ProcessPoolExecutor, "__init__", pool)
    invoke("build", "--no-cache", "-j", "2", cwd=site.root)
    pages = [path for path in site.feeds.rglob("*.*") if "archive" in path.parts]
    assert events.count("synced") == len(pages) > 3 * 4  # the main feed's pages and each tag's
    assert events.count("forked") == 2 and "forked while syncing" not in events  # parse workers: one process
    assert events.index("renamed") > max(index for index, event in enumerate(events) if event == "synced")


@pytest.mark.parametrize("failure", ["disk full in a worker", "a page's sync fails"])
def test_a_page_that_cannot_be_written_is_one_line_and_exit_3(
    site: SiteDir, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """A worker that cannot write its page, or the build's process that cannot sync one a worker wrote:
    one line, exit 3, the old feeds as they were and no temporary file left."""
    write_site(site, 14)
    invoke("build", "--no-cache", cwd=site.root)
    before = {path: path.read_bytes() for path in site.feeds.rglob("*.*")}
    post = site.articles / "post-01.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Text 1.", "Text one."), encoding="utf-8")
    monkeypatch.setattr(archives, "PARALLEL_FROM", 1)
    real = os.fsync

    def full(folder: Path, name: str, data: bytes, sync: bool = True) -> Path | None:  # in the forked workers too
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / name))

    def failing(descriptor: int) -> None:
        if threading.current_thread().name == "feedpub-fsync":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(descriptor)

    if failure == "disk full in a worker":
        monkeypatch.setattr(archives, "stage_file", full)
    else:
        monkeypatch.setattr(os, "fsync", failing)
    result = invoke("build", "--no-cache", "-j", "2", cwd=site.root, code=3)
    [line] = result.stderr.splitlines()
    message = "No space left on device" if failure == "disk full in a worker" else "Input/output error"
    assert line.startswith(f"error: {site.feeds / 'archive'}") and ".tmp" not in line  # the page, not its temporary
    assert message in line and line.endswith("the old feeds are unchanged")
    assert {path: path.read_bytes() for path in site.feeds.rglob("*.*")} == before
    assert not [path for path in site.feeds.rglob("*") if path.name.endswith(".tmp")]


def test_a_feed_too_large_to_validate_is_a_warning_naming_what_makes_it_smaller(
    site: SiteDir, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past 5 MB the W3C validator does not check a feed: every build that leaves one in the output
    folder (written or kept) warns, naming archive_size for an archive page and limit for a feed;
    `check --feeds` warns too, and exits 0. The HTML page and the stylesheet are not feeds."""
    assert tuple(name for name, _ in FORMATS.values()) == spec.FEED_NAMES  # one list of a feed's files
    write_site(site, 9)
    result = publish(site.config)
    sizes = {path: path.stat().st_size for path in site.feeds.rglob("*.*")}
    threshold = sorted(size for path, size in sizes.items() if path.name == "atom.xml")[-2]
    monkeypatch.setattr(spec, "LARGE_FEED", threshold)  # the largest Atom file is past it
    warned = {problem.path: problem.message for problem in publish(site.config).site.warnings}
    large = {path for path, size in sizes.items() if size > threshold and path.name in spec.FEED_NAMES}
    assert set(warned) == large and large and not any(path.suffix in (".html", ".xsl") for path in warned)
    for path, message in warned.items():
        knob = "archive_size" if "archive" in path.relative_to(site.feeds).parts else "[build] limit"
        assert "MB, more than the W3C Feed Validation Service checks (5 MB)" in message and knob in message
    kept = publish(site.config)
    assert result.report.written and not kept.report.written and {p.path for p in kept.site.warnings} == large
    checked = invoke("check", "--feeds", cwd=site.root)
    assert all(f"{path.relative_to(site.root)}: warning: is " in checked.stderr for path in large)


def test_a_link_to_an_article_whose_url_changed_is_made_again_on_every_page(site: SiteDir) -> None:
    """A page (archive or subscription) holding an article that links to another by its name is made
    again when the other's URL changes, though no file of the page's own articles changed."""
    site.write_config(SITE_CONFIG + '\n[build]\nlimit = 1\narchive_size = 1\npermalink = "/{year}/{slug}/"\n')
    link = "See [B]({% post_url 2024-01-02-b %}).\n"
    site.article("_posts/2024-01-01-a.md", "---\ntitle: A\n---\n" + link)
    site.article("_posts/2024-01-02-b.md", "---\ntitle: B\n---\nText.\n")
    site.article("_posts/2024-01-03-c.md", "---\ntitle: C\n---\n" + link)
    publish(site.config)
    assert b"https://example.org/2024/b/" in (site.feeds / "archive" / "1" / "atom.xml").read_bytes()
    renamed = "---\ntitle: B\nslug: bee\n---\nText.\n"
    (site.articles / "_posts" / "2024-01-02-b.md").write_text(renamed, encoding="utf-8")
    cached = publish(site.config)
    uncached = publish(replace(load_config(site.config), output=site.root / "uncached"), use_cache=False)
    assert cached.feeds == uncached.feeds
    for name in ("archive/1/atom.xml", "atom.xml", "index.html"):
        data = (site.feeds / name).read_bytes()
        assert b"https://example.org/2024/bee/" in data and b"https://example.org/2024/b/" not in data, name
