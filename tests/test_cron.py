"""A cron job over a big archive: a build costs what the feeds show and what changed, never more,
and whatever happens to it (another build, a kill, a full disk, a broken article), nothing is lost."""

from __future__ import annotations

import configparser
import os
import random
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, Invoke, SiteDir, make_article, parse_feed
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedpub import ContentError, Schedule, feeds, publish
from feedpub.build import cache, incremental, pipeline, quick, snapshot
from feedpub.build.incremental import choose, next_change
from feedpub.build.lock import BuildLock
from feedpub.build.pipeline import make_schedule
from feedpub.build.records import Head, SiteArticles
from feedpub.cli import main
from feedpub.config import load_config
from feedpub.render import Renderer

NOW = "2030-01-01 12:00"


def article(title: str, date: str, body: str = "Text.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ntags: [news, {title.split()[0].lower()}]\n---\n{body}\n"


def age(path: Path, seconds: float = 10) -> None:
    """Date a file `seconds` in the past, as one written before the last build looked at it."""
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def run(site: SiteDir, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    """`feedpub` as cron runs it: a process of its own (the quick check happens before the CLI)."""
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    result = subprocess.run(
        [sys.executable, "-m", "feedpub", *args], cwd=site.root, capture_output=True, text=True, env=env
    )
    assert result.returncode == code, result.stdout + result.stderr
    return result


def test_only_the_articles_the_feeds_show_are_rendered(
    site: SiteDir, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.write_config(site.config.read_text(encoding="utf-8") + "\n[build]\nlimit = 2\narchive_size = 0\n")
    for day in range(1, 6):
        site.article(f"_posts/2024-01-0{day}-day-{day}.md", f"---\ntitle: Day {day}\n---\nA {{% gallery %}}.\n")
    rendered: list[str] = []
    real = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, article: rendered.append(article.title) or real(self, article))
    result = publish(site.config, use_cache=False)
    assert sorted(rendered) == ["Day 4", "Day 5"]
    assert result.items == 2
    # A body the feeds do not carry is not read for problems by build; check reads them all.
    build = invoke("build", cwd=site.root)
    assert [line.split(":")[0] for line in build.stderr.splitlines()] == [
        "articles/_posts/2024-01-04-day-4.md",
        "articles/_posts/2024-01-05-day-5.md",
    ]
    assert invoke("check", "-v", cwd=site.root).stderr.count("{% gallery %}") == 5
    check = invoke("check", cwd=site.root)  # the same warning in five files: printed once, all counted
    assert check.stderr.count("{% gallery %}") == 1 and "(also in 4 other files; -v lists them)" in check.stderr
    assert check.stderr.endswith("5 articles, no errors, 5 warnings\n")


# The cache changes nothing but the time a build takes ------------------------------------------

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["add", "edit", "edit-same-size", "retitle", "redate", "rename", "delete", "touch", "break", "link"]
        ),
        st.integers(min_value=0, max_value=7),
        st.integers(min_value=1, max_value=28),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
@example(operations=[("link", 0, 3), ("rename", 3, 5)])  # a0's page links to a3, whose URL then changes
def test_a_cached_build_gives_the_bytes_of_an_uncached_one(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, int, int]]
) -> None:
    """Edits, additions, renames and deletions in any order: after every step, the build that uses
    the cache and the one that does not write the same files (archive pages and per-tag feeds
    among them; none left over), and report the same problems.

    Every file gets the same old modification time, as edits within one tick of a coarse clock
    would: only the change time and the bytes can tell a change then."""
    root = tmp_path_factory.mktemp("site")
    site = SiteDir(root)
    site.articles.mkdir()
    site.write_config(
        '[site]\ntitle = "T"\nurl = "https://example.org/"\n[build]\nlimit = 2\narchive_size = 2\ntag_feeds = true\n'
        'markdown = "hugo"\npermalink = "/{year}/{month}/{day}/{slug}/"\n'  # Hugo: links by file name (ref)
    )
    for number in range(4):
        site.article(f"a{number}.md", article(f"Article {number}", f"2024-01-{number + 1:02d}"))
    config = load_config(site.config)
    schedule = make_schedule(config, NOW)
    for operation, which, day in operations:
        names = sorted(path.name for path in site.articles.glob("*.md"))
        name = names[which % len(names)] if names else None
        path = site.articles / name if name else None
        if operation == "add" or path is None:
            site.article(f"n{which}-{day}.md", article(f"New {which} {day}", f"2024-02-{day:02d}"))
        elif operation in ("edit", "edit-same-size"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("Text.", "Txet.") if operation == "edit-same-size" else text + "More.\n")
        elif operation == "retitle":
            path.write_text(article(f"Retitled {day}", f"2024-01-{day:02d}"), encoding="utf-8")
        elif operation == "redate":
            path.write_text(article(path.stem, f"2024-03-{day:02d}"), encoding="utf-8")
        elif operation == "rename":
            path.rename(site.articles / f"r{day}-{name}")
        elif operation == "delete":
            path.unlink()
        elif operation == "touch":
            os.utime(path)
        elif operation == "break":
            path.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
        elif operation == "link":  # to another article by its file: its URL, which renames and redates change
            other = names[day % len(names)]
            path.write_text(path.read_text(encoding="utf-8") + f'See [it]({{{{< ref "{other}" >}}}}).\n')
        for each in site.articles.glob("*.md"):
            os.utime(each, (1_700_000_000, 1_700_000_000))
        outcomes = []
        for use_cache in (True, False):
            try:
                result = publish(replace(config, output=root / str(use_cache)), schedule=schedule, use_cache=use_cache)
            except ContentError as error:
                outcomes.append(("error", [p.format() for p in error.problems], []))
            else:
                warnings = [p.format() for p in result.site.warnings if p.severity != "note"]
                output = root / str(use_cache)
                files = {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*.*")}
                outcomes.append(("ok", files, warnings))
        assert outcomes[0] == outcomes[1], (operation, name)


def _snapshot_site(root: Path) -> tuple[SiteDir, Any, Schedule]:
    """A site of articles at the top and in a folder of a year, built once with the cache."""
    site = SiteDir(root)
    site.articles.mkdir()
    site.write_config(
        '[site]\ntitle = "T"\nurl = "https://example.org/"\n[build]\nlimit = 3\narchive_size = 2\ntag_feeds = true\n'
        'exclude = ["*-draft.md"]\n'
    )
    for number in range(4):
        site.article(f"a{number}.md", article(f"Top {number}", f"2024-01-{number + 1:02d}"))
        site.article(f"2023/b{number}.md", article(f"Year {number}", f"2023-05-{number + 1:02d}"))
    config = load_config(site.config)
    schedule = make_schedule(config, NOW)
    publish(config, schedule=schedule)
    return site, config, schedule


def _same_as_uncached(
    root: Path, config: Any, schedule: Schedule, found: list[Any] | None = None, results: list[Any] | None = None
) -> str:
    """A build with the cache, whose files and problems are checked against a build without it ("ok", or
    "error" when both refused the site); `found`: the calls of find_source_names the build with the cache
    made are added to it; `results`: the result of the build with the cache."""
    outcomes = []
    real = incremental.find_source_names
    for use_cache in (True, False):
        output = config.output if use_cache else root / "uncached"
        with pytest.MonkeyPatch.context() as patch:
            if found is not None and use_cache:
                patch.setattr(incremental, "find_source_names", lambda *args: found.append(args) or real(*args))
            try:
                result = publish(replace(config, output=output), schedule=schedule, use_cache=use_cache)
                if results is not None and use_cache:
                    results.append(result)
            except ContentError as error:
                outcomes.append(("error", [p.format() for p in error.problems], {}))
                continue
        warnings = [p.format() for p in result.site.warnings if p.severity != "note"]
        files = {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*.*")}
        outcomes.append(("ok", warnings, files))
    assert outcomes[0] == outcomes[1]
    return outcomes[0][0]


SNAPSHOT_TELLS = {
    "edit": lambda site: (site.articles / "2023/b1.md").write_text(article("Edited", "2023-06-01"), encoding="utf-8"),
    "add": lambda site: site.article("2023/b9.md", article("Added", "2023-07-01")),
    "add-at-the-top": lambda site: site.article("a9.md", article("Added", "2024-02-01")),
    "add-excluded": lambda site: site.article("2023/b9-draft.md", article("Excluded", "2023-07-01")),
    "add-other-file": lambda site: (site.articles / "2023/photo.jpg").write_bytes(b"\xff\xd8"),
    "add-hidden": lambda site: site.article("2023/.b1.md.swp", "swap"),
    "remove": lambda site: (site.articles / "2023/b2.md").unlink(),
    "rename": lambda site: (site.articles / "2023/b2.md").rename(site.articles / "2023/c2.md"),
    "break": lambda site: (site.articles / "a1.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8"),
}


@pytest.mark.parametrize("change", sorted(SNAPSHOT_TELLS))
def test_a_change_to_files_of_a_folder_of_articles_is_told_without_finding_every_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The build's snapshot of the last one (build/snapshot.py): an edit, or a file added to or removed
    from a folder that holds articles, is told from what the look at the folder saw; the files are not
    found again, nor their records read from the database one by one, and the build writes what a
    build without the cache writes."""
    site, config, schedule = _snapshot_site(tmp_path)
    SNAPSHOT_TELLS[change](site)
    found: list[Any] = []
    read = cache.Cache.file

    def file(self: cache.Cache, path: str) -> Any:
        assert self._db is None, f"{path}: a record read from the database"  # (the uncached build's is none)
        return read(self, path)

    monkeypatch.setattr(cache.Cache, "file", file)
    assert _same_as_uncached(tmp_path, config, schedule, found) == ("error" if change == "break" else "ok")
    assert found == []


SNAPSHOT_CANNOT_TELL = {
    "add-folder": lambda site: site.article("2022/c0.md", article("Older", "2022-01-01")),
    "remove-folder": lambda site: (
        [path.unlink() for path in (site.articles / "2023").iterdir()] and (site.articles / "2023").rmdir()
    ),
    "add-link": lambda site: (site.articles / "2023/b9.md").symlink_to(site.articles / "a0.md"),
    "add-bundle-index": lambda site: site.article("2023/index.md", article("Bundle", "2023-08-01")),
    "add-section-page": lambda site: site.article("2023/_index.md", article("Section", "2023-08-01")),
    "add-unread-file": lambda site: site.article("2023/b9.rst", "Title\n=====\n"),
    "chmod-file": lambda site: (site.articles / "2023/b1.md").chmod(0o600),
}


@pytest.mark.parametrize("change", sorted(SNAPSHOT_CANNOT_TELL))
def test_a_change_the_snapshot_cannot_tell_finds_every_file_again(tmp_path: Path, change: str) -> None:
    """A folder added or removed, a link, a page bundle's or a section's page, a file feedpub warns of,
    another mode: what is an article then depends on more than the changed entries, and the build
    finds the files as a build without the snapshot does (and writes what it writes)."""
    site, config, schedule = _snapshot_site(tmp_path)
    SNAPSHOT_CANNOT_TELL[change](site)
    found: list[Any] = []
    _same_as_uncached(tmp_path, config, schedule, found)
    assert len(found) == 1


@pytest.mark.parametrize("damage", ["garbage", "missing-part", "other-scope"])
def test_a_damaged_snapshot_costs_a_full_look_and_is_made_anew(tmp_path: Path, damage: str) -> None:
    site, config, schedule = _snapshot_site(tmp_path)
    with sqlite3.connect(config.cache / "cache.sqlite") as db:
        if damage == "garbage":
            db.execute("UPDATE snapshot SET data = ?", (b"\xff" * 40,))
        elif damage == "missing-part":
            db.execute("DELETE FROM snapshot WHERE part LIKE 'files %'")
    if damage == "other-scope":
        config = replace(config, exclude=("b1.md",))
    (site.articles / "a2.md").write_text(article("Edited", "2024-01-03", "New text."), encoding="utf-8")
    found: list[Any] = []
    _same_as_uncached(tmp_path, config, schedule, found)
    assert len(found) == 1
    (site.articles / "a3.md").write_text(article("Edited", "2024-01-04", "New text."), encoding="utf-8")
    _same_as_uncached(tmp_path, config, schedule, found)
    assert len(found) == 1  # the snapshot made anew told the second edit


def test_an_entry_that_read_other_files_is_taken_from_the_cache_while_they_are_as_they_were(tmp_path: Path) -> None:
    """A Pelican `{static}` link makes the render look for the file: the entry is kept with the file's
    status, taken back while it is the same, and rendered again when it changed, went or came."""
    site = SiteDir(tmp_path)
    site.articles.mkdir()
    site.write_config(
        '[site]\ntitle = "T"\nurl = "https://example.org/"\n'
        '[build]\nlimit = 5\narchive_size = 2\nmarkdown = "pelican"\n'
    )
    (site.articles / "images").mkdir()
    (site.articles / "images" / "pic.png").write_bytes(b"\x89PNG one")
    body = "See ![it]({static}/images/pic.png) and [the file]({static}/x.pdf)."
    site.article("a0.md", article("Pictured", "2024-01-01", body))
    site.article("b0.md", article("Plain", "2024-01-02"))
    site.article("c0.md", article("Older", "2023-01-02"))
    config = load_config(site.config)
    schedule = make_schedule(config, NOW)
    results: list[pipeline.PublishResult] = []

    def build() -> tuple[int, int]:
        _same_as_uncached(tmp_path, config, schedule, results=results)
        assert site.articles / "images" / "pic.png" in results[-1].stats.consulted  # (the quick check watches it)
        return results[-1].stats.rendered, results[-1].stats.rendered_cached

    assert build() == (3, 0)
    (site.articles / "b0.md").write_text(article("Plain", "2024-01-02", "Edited."), encoding="utf-8")
    assert build() == (1, 2)  # b0
    (site.articles / "images" / "pic.png").write_bytes(b"\x89PNG two, another size")
    assert build() == (1, 2)  # a0
    (site.articles / "x.pdf").write_bytes(b"%PDF")  # a file it looked for and did not find, there now
    assert build() == (1, 2)
    (site.articles / "images" / "pic.png").unlink()
    assert build() == (1, 2)
    assert build() == (0, 3)


def test_a_render_stored_again_under_a_key_the_cache_holds_replaces_what_it_held(tmp_path: Path) -> None:
    """A stored render that cannot be read back (damaged) is rendered again, and that render kept."""
    _, config, schedule = _snapshot_site(tmp_path)
    with sqlite3.connect(config.cache / "cache.sqlite") as db:
        db.execute("UPDATE rendered SET value = ?", (b"not a pickle",))
    assert publish(config, schedule=schedule).stats.rendered == 8  # every article
    assert publish(config, schedule=schedule).stats.rendered == 0


def test_a_render_key_is_the_digest_of_the_configuration_the_path_and_the_bytes(tmp_path: Path) -> None:
    """Rendering.key hashes from a copy of its first part's hash: the same key as cache.digest gives."""
    site, config, _ = _snapshot_site(tmp_path)
    store = cache.Cache.open(config.cache, incremental.parse_key(config))
    articles, _ = incremental.read_articles(config, store, incremental.Stats(), listing=quick.Listing())
    rendering = incremental.Rendering(config, articles.heads, store, incremental.Stats())
    for name in ("a0.md", "2023/b3.md", "2023/b1.md"):
        path = str(site.articles / name)
        record = store.current(path)
        assert record is not None
        assert rendering.key(path) == cache.digest(rendering.base, path, record.digest)
        assert rendering.key(path) == rendering.key(Path(path))  # (asked twice: from its memory)
    store.close()


def test_a_snapshot_is_split_in_parts_by_path_and_a_build_writes_only_those_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts of PART files (8 here): an edit rewrites one part, files added split a part that grew to over
    twice its size, files removed empty one (which goes); read back, the parts are the whole site."""
    monkeypatch.setattr(snapshot, "PART", 8)
    site = SiteDir(tmp_path)
    site.articles.mkdir()
    site.write_config('[site]\ntitle = "T"\nurl = "https://example.org/"\n[build]\nlimit = 2\narchive_size = 0\n')
    for number in range(0, 32, 2):  # (aged: files modified just before a look are looked at again)
        age(site.article(f"p{number:05d}.md", article(f"Post {number}", "2024-01-01")))
    config = load_config(site.config)
    schedule = make_schedule(config, NOW)
    written: list[list[str]] = []
    real = snapshot.Snapshot.rows

    def rows(self: snapshot.Snapshot, *args: Any) -> Any:
        write, gone = real(self, *args)
        written.append(sorted(name.split()[0] for name, _ in write) + [f"-{name}" for name in gone])
        return write, gone

    monkeypatch.setattr(snapshot.Snapshot, "rows", rows)
    publish(config, schedule=schedule)
    assert written[-1] == ["files", "files", "folders", "head"]  # 16 files
    (site.articles / "p00002.md").write_text(article("Edited", "2024-01-02"), encoding="utf-8")
    age(site.articles / "p00002.md")
    _same_as_uncached(tmp_path, config, schedule)
    assert written[-1] == ["files", "folders", "head"]
    for number in range(10):  # into the first part: 18 files, split in three
        age(site.article(f"p00001-{number}.md", article(f"Added {number}", "2024-01-01")))
    _same_as_uncached(tmp_path, config, schedule)
    assert written[-1] == ["files", "files", "files", "folders", "head"]
    for number in range(16, 32, 2):  # the last part's files: it goes
        (site.articles / f"p{number:05d}.md").unlink()
    _same_as_uncached(tmp_path, config, schedule)
    assert "-files " + str(site.articles / "p00016.md") in written[-1]
    with sqlite3.connect(config.cache / "cache.sqlite") as db:
        stored = dict(db.execute("SELECT part, data FROM snapshot").fetchall())
    told = snapshot.Snapshot.of_rows(stored, incremental._scope(config))
    assert told is not None and told.files.names == sorted(str(path) for path in site.articles.glob("*.md"))
    assert len(stored) == 1 + 1 + 3  # the head, the folders, the parts


def test_an_edit_no_feed_shows_imports_neither_the_feed_writers_nor_the_renderer(site: SiteDir) -> None:
    """The subscription documents are made from what they were made from: kept, unmade, so the build
    imports no feedgen, lxml, HTML cleaner or parser, Markdown engine, nor what writing files takes (nor
    logging); an edit they show does."""
    site.write_config(site.config.read_text(encoding="utf-8") + "\n[build]\nlimit = 1\narchive_size = 0\n")
    old, new = (site.article(f"{n}.md", article(f"Day {n}", f"2024-01-0{n}")) for n in (1, 2))
    for path in (old, new):
        age(path)
    run(site, "build")
    feeds = {name: (site.feeds / name).read_bytes() for name in ("rss.xml", "atom.xml", "feed.json")}

    def imported_by_a_build_after_editing(path: Path, body: str) -> set[str]:
        path.write_text(article(path.stem, f"2024-01-0{path.stem}", body), encoding="utf-8")
        age(path)
        process = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "feedpub", "build", "-q"],
            cwd=site.root,
            capture_output=True,
            text=True,
            check=True,
        )
        return {line.rsplit("|", 1)[-1].strip() for line in process.stderr.splitlines() if "|" in line}

    heavy = {"feedgen", "lxml", "nh3", "cmarkgfm", "markdown", "logging", "feedpub.render.renderer"}
    heavy |= {"html.parser", "tempfile", "feedpub.build.page", "feedpub.feeds.jsonfeed"}  # (what writing needs)
    imported = imported_by_a_build_after_editing(old, "Edited.")
    assert "yaml" in imported  # the edited file was parsed
    assert not imported & heavy, imported & heavy
    assert {name: (site.feeds / name).read_bytes() for name in feeds} == feeds
    imported = imported_by_a_build_after_editing(new, "Edited too.")
    assert {"feedgen", "lxml", "nh3", "feedpub.render.renderer"} <= imported
    assert "Edited too." in (site.feeds / "atom.xml").read_text(encoding="utf-8")


def test_a_build_of_many_files_still_says_it_in_one_short_line(site: SiteDir) -> None:
    """Archive pages and topic feeds are counted, not named: the subscription feeds and the page are."""
    site.write_config(site.config.read_text(encoding="utf-8") + "\n[build]\nlimit = 1\narchive_size = 1\n")
    for day in range(1, 6):
        age(site.article(f"{day}.md", article(f"Day {day}", f"2024-01-0{day}")))
    first = run(site, "build").stdout
    assert first.startswith(
        "wrote feeds/rss.xml, feeds/atom.xml, feeds/feed.json, feeds/index.html, and 15 more files in feeds/ "
        "(1 item each); 5 article files: "
    ), first
    assert "archive/" not in first and len(first.splitlines()) == 1
    assert run(site, "build").stdout.startswith(
        "unchanged feeds/rss.xml, feeds/atom.xml, feeds/feed.json, feeds/index.html, and 15 more files in feeds/ "
        "(1 item each); 5 article files, none changed"
    )
    edited = site.articles / "2.md"
    edited.write_text(article("Day 2", "2024-01-02", "Edited."), encoding="utf-8")
    age(edited)
    assert run(site, "build").stdout.startswith(  # a few files written: named
        "wrote feeds/archive/2/rss.xml, feeds/archive/2/atom.xml, feeds/archive/2/feed.json; "
        "unchanged feeds/rss.xml, feeds/atom.xml, feeds/feed.json, feeds/index.html, and 12 more files in feeds/ "
    )


# The quick check ---------------------------------------------------------------------------------


def test_nothing_changed_is_decided_before_the_heavy_imports(site: SiteDir) -> None:
    path = site.article("a.md", article("A", "2024-01-01"))
    age(path)
    first = run(site, "build")
    assert first.stdout.startswith(
        "wrote feeds/rss.xml, feeds/atom.xml, feeds/feed.json, feeds/index.html (1 item each); 1 article"
    )
    feeds = {name: (site.feeds / name).read_bytes() for name in ("rss.xml", "atom.xml")}
    second = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "feedpub", "build"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert second.stdout.startswith(
        "unchanged feeds/rss.xml, feeds/atom.xml, feeds/feed.json, feeds/index.html (1 item each); "
        "1 article file, none changed"
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines() if "|" in line}
    assert "feedpub.build.quick" in imported
    assert not imported & {"click", "yaml", "markdown", "feedgen", "dateutil", "cmarkgfm", "sqlite3", "json", "typing"}
    assert {name: (site.feeds / name).read_bytes() for name in feeds} == feeds
    assert run(site, "build", "-q").stdout == ""


def test_a_nothing_changed_run_prints_the_warnings_folded_as_the_build_did(site: SiteDir) -> None:
    for day in range(1, 5):
        age(site.article(f"p{day}.md", f"---\ntitle: P{day}\ndate: 2024-01-0{day}\nbitly: b{day}\n---\nText.\n"))
    built = run(site, "build")
    again = run(site, "build")
    assert "none changed" in again.stdout
    assert again.stderr == built.stderr
    assert built.stderr.splitlines() == [
        "articles/p1.md:4: warning: 'bitly': unknown key; it is left out of the feed (add it to [build] ignore_keys"
        " if the site uses it on purpose) (also in 3 other files; -v lists them)"
    ]
    assert run(site, "build", "-v").stderr.count("'bitly'") == 4


def test_the_build_after_a_quick_check_uses_its_look_at_the_folder(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change found by the quick check is built from what it saw, not after a second walk of the folder;
    a look that is too old (the build waited for the lock, say) or of another folder is not used."""
    path = site.article("a.md", article("A", "2024-01-01"))
    age(path)
    run(site, "build")  # as cron runs it: the record is of `feedpub build` in this folder
    path.write_text(article("A, edited", "2024-01-01"), encoding="utf-8")
    age(path)
    walks: list[str] = []
    real = pipeline.tree_digest
    monkeypatch.setattr(pipeline, "tree_digest", lambda *args: walks.append("walk") or real(*args))
    monkeypatch.chdir(site.root)
    assert quick.quick_build(["build"]) is None  # a change: build for real
    result = publish(site.config)
    assert walks == [] and result.tree is not None and result.stats.parsed == 1
    assert "A, edited" in (site.feeds / "atom.xml").read_text(encoding="utf-8")
    assert quick.take_look(site.articles) is None  # used once
    path.write_text(article("A, again", "2024-01-01"), encoding="utf-8")
    age(path)
    assert quick.quick_build(["build"]) is None
    monkeypatch.setattr(quick, "_FRESH_FOR", 0.0)
    publish(site.config)
    assert walks == ["walk"]


def test_a_look_keeps_each_files_status_as_the_system_gives_it(site: SiteDir) -> None:
    """What the quick check keeps for the build (each folder's entries as hashed) gives every file's status,
    folders and hidden files aside; the cache's key of it is the key of the status itself."""
    for name in ("a.md", "2024/b.md", "2024/deep/c.md", "2024/deep/photo.jpg", ".hidden/d.md", "2024/.e.md"):
        site.article(name, article("X", "2024-01-01"))
    listing = quick.Listing()
    digest, _ = quick.tree_digest(site.articles, time.time_ns(), listing)
    statuses = listing.statuses()
    expected = {
        str(path): path.lstat()
        for path in site.articles.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(site.articles).parts)
    }
    assert sorted(statuses) == sorted(expected) and len(expected) == 4
    for path, status in expected.items():
        assert statuses[path] == (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns)
        assert cache.stat_key(statuses[path]) == cache.stat_key(Path(path).stat())
    assert quick.tree_digest(site.articles, 0)[0] == digest  # keeping what was seen changes nothing
    # Bytes changed, size and modification time put back (as `rsync -t` or `touch -r` leave them): the
    # change time alone tells, and the digest covers it.
    path = site.articles / "a.md"
    before = path.stat()
    time.sleep(0.02)  # past the coarse clock the system dates changes by
    path.write_bytes(path.read_bytes().replace(b"X", b"Y"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert quick.tree_digest(site.articles, 0)[0] != digest


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


@needs_fork
@pytest.mark.parametrize("layout", ["one folder", "folders to share out"])
def test_a_look_in_two_processes_sees_what_a_look_in_one_does(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    """Over many files the quick check shares its look with a forked process: the folders under the top
    ones when there are enough of them to share out (each process lists its own), else the statuses of
    every folder's odd entries. The digest, the newest time and what a build is given are those of a
    look in one process."""
    spread = layout == "folders to share out"
    for number in range(31):
        name = f"{number % 11}/{number % 2}/{number}.md" if spread else f"{number % 3}/{number}.md"
        age(site.article(name if number % 4 else f"{number}.md", article("X", "2024-01-01")))
    top = str(site.articles)
    listed, waiting = quick._spread(top)
    assert (len(listed), len(waiting)) == ((1, 11) if spread else (4, 0))
    everything = quick._statuses(quick._list([top]), (0, 1))
    assert sorted(quick._split(top)[0]) == sorted(everything[0]) and quick._split(top)[1] == everything[1]
    with monkeypatch.context() as patched:  # a system that cannot fork now: the look is one process's
        patched.setattr(os, "fork", lambda: (_ for _ in ()).throw(OSError(11, "Resource temporarily unavailable")))
        assert sorted(quick._split(top)[0]) == sorted(everything[0])
    shares = quick._halve(listed, waiting)
    mine, theirs = quick._share(listed, shares, False), quick._share(listed, shares, True)
    ours, others = {piece[:2] for piece in mine[0]}, {piece[:2] for piece in theirs[0]}
    assert ours.isdisjoint(others) and ours | others == {piece[:2] for piece in everything[0]}
    # Shared out, each process lists folders of its own; else the forked one takes the odd halves alone.
    assert len(others) > 12 if spread else others == {(folder, 1) for folder, _ in listed}
    monkeypatch.setattr(quick, "_can_split", lambda: True)
    alone, split = quick.Listing(), quick.Listing()
    looked = quick._look(site.articles, alone)
    assert quick._look(site.articles, split, True) == looked
    assert alone.folders == split.folders and len(split.statuses()) == 31
    by_folder = quick._BY_FOLDER
    monkeypatch.setattr(quick, "_BY_FOLDER", False)  # a system without dir_fd: each file by its path
    assert quick._look(site.articles, None) == quick._look(site.articles, None, True) == looked
    monkeypatch.setattr(quick, "_BY_FOLDER", by_folder)
    age(site.article("b.md", article("B", "2024-01-02")))
    for folder in site.articles.rglob("*"):
        if folder.is_dir():
            age(folder)
    age(site.articles)
    run(site, "build")  # a record of 32 files, looked at in one process
    monkeypatch.chdir(site.root)
    monkeypatch.setattr(quick, "SPLIT_FROM", 32)
    forks: list[int] = []
    real = quick._split
    monkeypatch.setattr(quick, "_split", lambda top: forks.append(1) or real(top))
    assert quick.quick_build(["build", "-q"]) == 0 and forks == [1]
    age(site.article("2/2.md" if not spread else "2/0/2.md", article("X, edited", "2024-01-01")))
    assert quick.quick_build(["build", "-q"]) is None and forks == [1, 1]


def test_a_folder_that_cannot_be_listed_is_looked_at_as_empty(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the build passes over a folder it cannot list (read.sources), its look does not fail on one:
    the folder counts as empty, and its digest is not that of the folder readable; a file whose status
    is refused is left out alike."""
    for name in ("a.md", "locked/b.md", "open/c.md"):
        site.article(name, article("X", "2024-01-01"))
    readable = quick.tree_digest(site.articles, 0)[0]
    real = os.scandir
    locked = str(site.articles / "locked")

    def refusing(path: Any) -> Any:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", refusing)
    listing = quick.Listing()
    digest, _ = quick.tree_digest(site.articles, 0, listing)
    assert digest != readable and sorted(Path(path).name for path in listing.statuses()) == ["a.md", "c.md"]
    real_stat = os.stat

    def no_status(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:  # a file whose status is refused
        if os.fspath(path).endswith("c.md"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", no_status)
    listing = quick.Listing()
    assert quick.tree_digest(site.articles, 0, listing)[0] not in (digest, readable)
    assert [Path(path).name for path in listing.statuses()] == ["a.md"]


@needs_fork
def test_a_look_whose_second_process_fails_means_a_real_build(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second process that fails (the system refuses it a status, say) makes the look an OSError, and the
    run builds for real, as when the first process is refused one."""
    for number in range(4):
        age(site.article(f"{number}.md", article("X", "2024-01-01")))
    run(site, "build")
    real = quick._share

    def second_fails(listed: quick.Folders, shares: Any, second: bool) -> tuple[quick.Pieces, int]:
        if second:
            raise PermissionError("refused")
        return real(listed, shares, second)

    monkeypatch.setattr(quick, "_share", second_fails)
    with pytest.raises(OSError, match="second process"):
        quick._split(str(site.articles))
    monkeypatch.chdir(site.root)
    monkeypatch.setattr(quick, "SPLIT_FROM", 0)
    monkeypatch.setattr(quick, "_can_split", lambda: True)
    assert quick.quick_build(["build", "-q"]) is None
    monkeypatch.setattr(quick, "_share", real)
    assert quick.quick_build(["build", "-q"]) == 0


def test_an_entry_gone_since_its_folder_was_listed_is_left_out_of_the_look(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file or folder deleted between the listing and the statuses (a checkout while cron runs) is not
    an error: the look leaves it out, as a look a moment later would."""
    for name in ("a.md", "b.md", "c.md", "gone/d.md", "kept/e.md"):
        site.article(name, article("X", "2024-01-01"))
    real = quick._list

    def listed_then_deleted(stack: list[str]) -> quick.Folders:
        folders = real(stack)
        (site.articles / "b.md").unlink()
        (site.articles / "gone" / "d.md").unlink()
        (site.articles / "gone").rmdir()
        return folders

    monkeypatch.setattr(quick, "_list", listed_then_deleted)
    listing = quick.Listing()
    digest, _ = quick.tree_digest(site.articles, 0, listing)
    assert sorted(Path(path).name for path in listing.statuses()) == ["a.md", "c.md", "e.md"]
    monkeypatch.setattr(quick, "_list", real)
    assert digest != quick.tree_digest(site.articles, 0)[0]  # "gone" was listed, then found gone: a build
    assert "gone" not in {Path(path).parent.name for path in listing.statuses()}


@pytest.mark.parametrize(
    "change", ["edit", "add", "delete", "config", "feed-deleted", "feed-edited", "other-argv", "ledger-edited"]
)
def test_any_change_means_a_real_build(site: SiteDir, change: str) -> None:
    for name in ("a", "b"):
        age(site.article(f"{name}.md", article(name.upper(), "2024-01-01" if name == "a" else "2024-01-02")))
    run(site, "build")
    assert "none changed" in run(site, "build").stdout
    if change == "edit":
        age(site.article("a.md", article("A changed", "2024-01-01")))
    elif change == "add":
        age(site.article("c.md", article("C", "2024-01-03")))
    elif change == "delete":
        (site.articles / "b.md").unlink()
    elif change == "config":
        site.write_config(site.config.read_text(encoding="utf-8").replace("Test Site", "Renamed Site"))
    elif change == "feed-deleted":
        (site.feeds / "atom.xml").unlink()
    elif change == "feed-edited":
        (site.feeds / "rss.xml").write_text("<rss/>")
    elif change == "ledger-edited":
        (site.root / "feedpub-ids.txt").write_text("a.md\turn:uuid:6f1c2d4e-8a9b-4c3d-9e0f-112233445566\n")
    args = ("build", "--limit", "1") if change == "other-argv" else ("build",)
    again = run(site, *args)
    assert "none changed" not in again.stdout
    uncached = run(site, *args, "--no-cache", "--output", "uncached")
    for name in ("rss.xml", "atom.xml"):
        assert (site.feeds / name).read_bytes() == (site.root / "uncached" / name).read_bytes()
    assert "none changed" not in uncached.stdout


def test_an_article_due_later_appears_when_its_time_comes(site: SiteDir) -> None:
    """The clock is an input too: the record says until when the feeds it describes stay right."""
    age(site.article("a.md", article("Now", "2024-01-01")))
    soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3))
    age(site.article("b.md", f"---\ntitle: Soon\ndate: {soon}\n---\nText.\n"))
    assert "(1 item each)" in run(site, "build").stdout
    assert "none changed" in run(site, "build").stdout
    time.sleep(3.5)
    later = run(site, "build")
    assert "(2 items each)" in later.stdout and "none changed" not in later.stdout


def test_a_file_written_during_the_build_is_looked_at_again(site: SiteDir) -> None:
    """A file modified within two seconds of a build's look could change again unseen: no record."""
    site.article("a.md", article("A", "2024-01-01"))  # just written
    run(site, "build")
    assert "none changed" not in run(site, "build").stdout  # the first record could not be trusted


# The cache, damaged or from elsewhere -------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "empty", "other-version", "missing-table", "other-columns"])
def test_a_damaged_or_foreign_cache_is_rebuilt_with_a_note(site: SiteDir, invoke: Invoke, damage: str) -> None:
    age(site.article("a.md", article("A", "2024-01-01")))
    invoke("build", "--now", NOW, cwd=site.root)
    feeds = (site.feeds / "atom.xml").read_bytes()
    database = site.root / ".feedpub-cache" / "cache.sqlite"
    if damage in ("garbage", "empty"):
        for name in ("cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm"):
            (database.parent / name).unlink(missing_ok=True)
        database.write_bytes(b"not a database at all" * 100 if damage == "garbage" else b"")
    else:
        with sqlite3.connect(database) as db:
            if damage == "other-version":
                db.execute("UPDATE meta SET value = '0.0.1' WHERE name = 'version'")
            elif damage == "other-columns":  # as a cache of another schema, marked as this one
                db.execute("DROP TABLE files")
                db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, stat TEXT)")
            else:
                db.execute("DROP TABLE files")
    age(site.article("b.md", article("B", "2024-01-02")))
    result = invoke("build", "-v", "--now", NOW, cwd=site.root)
    if damage in ("garbage", "other-version", "other-columns"):  # an empty file or a lost table: a new cache
        assert ".feedpub-cache" in result.stderr and "note:" in result.stderr
    assert "2 article files: 2 parsed" in result.stdout or damage == "empty"
    assert parse_feed((site.feeds / "atom.xml").read_bytes()).entries[0].title == "B"
    assert feeds != (site.feeds / "atom.xml").read_bytes()
    again = invoke("build", "--now", NOW, cwd=site.root)
    assert "0 parsed" in again.stdout


def test_renders_are_written_to_the_cache_as_they_pile_up_not_all_at_the_end(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build of a big archive would hold every render until its commit; past a limit they go
    to the database early (here, every one), and the feeds and the next build are the same."""
    site.write_config(site.config.read_text(encoding="utf-8") + "\n[build]\nlimit = 2\narchive_size = 2\n")
    for day in range(1, 10):
        site.article(f"{day}.md", article(f"Day {day}", f"2024-01-0{day}", f"Text {day}."))
    monkeypatch.setattr(cache, "_PENDING_LIMIT", 0)
    written: list[int] = []
    real = cache.Cache._write_rendered
    monkeypatch.setattr(cache.Cache, "_write_rendered", lambda self: written.append(len(self._rendered)) or real(self))
    first = publish(site.config)
    assert first.stats.rendered == 9 and len(written) >= 9
    files = {path: path.read_bytes() for path in site.feeds.rglob("*.*")}
    site.write_config(site.config.read_text(encoding="utf-8").replace("archive_size = 2", "archive_size = 3"))
    again = publish(site.config)  # every page made anew, from the renders the first build kept
    assert (again.stats.rendered, again.stats.rendered_cached) == (0, 9)
    site.write_config(site.config.read_text(encoding="utf-8").replace("archive_size = 3", "archive_size = 2"))
    publish(site.config)
    uncached = publish(replace(load_config(site.config), output=site.root / "uncached"), use_cache=False)
    assert {path.relative_to(site.feeds): data for path, data in files.items()} == {
        path.relative_to(site.root / "uncached"): path.read_bytes() for path in (site.root / "uncached").rglob("*.*")
    }
    assert uncached.stats.rendered == 9


def test_a_cold_cache_asks_its_database_only_for_the_renders_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build's cache starts with no render stored: after writing some early (past the limit),
    it still answers for the others without a query, and reads back the ones it wrote."""
    monkeypatch.setattr(cache, "_PENDING_LIMIT", 0)
    store = cache.Cache.open(tmp_path / "c", "key")
    assert store._db is not None
    queries: list[str] = []
    store._db.set_trace_callback(queries.append)
    store.store_rendered(b"written", ("summary", "content"))  # written to the database at once
    queries.clear()
    assert store.rendered(b"never") is None and not store.has_rendered(b"never")
    assert not [query for query in queries if "rendered" in query]
    assert store.rendered(b"written") == ("summary", "content") and store.has_rendered(b"written")
    store.commit()
    store.close()
    again = cache.Cache.open(tmp_path / "c", "key")  # a warm build: the row is there, looked up
    assert again.rendered(b"written") == ("summary", "content")


def test_no_cache_reads_and_writes_no_cache(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", article("A", "2024-01-01"))
    result = invoke("build", "--no-cache", cwd=site.root)
    assert "1 parsed" in result.stdout
    assert not (site.root / ".feedpub-cache" / "cache.sqlite").exists()


def test_the_cache_folder_is_the_configured_one(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(site.config.read_text(encoding="utf-8") + '\n[build]\ncache = "state/feedpub"\n')
    age(site.article("a.md", article("A", "2024-01-01")))
    run(site, "build")
    assert (site.root / "state" / "feedpub" / "cache.sqlite").is_file()
    assert not (site.root / ".feedpub-cache").exists()
    assert "none changed" in run(site, "build").stdout


# Cores ---------------------------------------------------------------------------------------------


def test_output_is_the_same_whatever_the_number_of_jobs(site: SiteDir, invoke: Invoke) -> None:
    for number in range(450):  # enough for the worker processes to start
        site.article(
            f"a{number:03d}.md", article(f"Article {number}", f"2024-{number % 12 + 1:02d}-{number % 28 + 1:02d}")
        )
    site.article("broken.md", "---\ntitle: [x\n---\n")
    site.article("warned.md", "---\ntitle: Warned\ndate: 2024-12-31\ntittle: typo\n---\nText.\n")
    base = site.config.read_text(encoding="utf-8")
    outputs = []
    for cached in (False, True):
        for jobs in ("1", "2", "3"):
            where = site.root / f"out{jobs}{cached}"
            site.write_config(base + f'\n[build]\ncache = "cache{jobs}"\n')  # a cold build with a cache of its own
            options = [] if cached else ["--no-cache"]
            result = invoke(
                "build", *options, "--jobs", jobs, "--keep-going", "--output", str(where), cwd=site.root, code=5
            )
            files = {
                path.relative_to(where).as_posix(): path.read_bytes() for path in where.rglob("*") if path.is_file()
            }
            outputs.append((files, result.stderr))
    assert "warned.md:4: warning: 'tittle': unknown key" in outputs[0][1]
    assert all(output == outputs[0] for output in outputs), [output[1] for output in outputs]


# One build at a time ------------------------------------------------------------------------------


def test_a_second_build_waits_then_gives_up_naming_the_holder(site: SiteDir) -> None:
    age(site.article("a.md", article("A", "2024-01-01")))
    with BuildLock(site.root / ".feedpub-cache" / "lock", wait=0):
        started = time.monotonic()
        result = run(site, "build", "--wait", "0.5", code=4)
        assert time.monotonic() - started >= 0.5
    assert result.stderr.strip().splitlines() == [
        f"error: another feedpub build (pid {os.getpid()}) holds {site.root / '.feedpub-cache' / 'lock'}; gave up "
        "after waiting 0.5 s (--wait); it is still running, or stuck: check that process"
    ]
    assert not site.feeds.exists()
    run(site, "build")  # released: the next one goes ahead


def test_a_lock_left_by_a_killed_build_is_taken_over(site: SiteDir) -> None:
    age(site.article("a.md", article("A", "2024-01-01")))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from feedpub.build.lock import BuildLock\n"
            "with BuildLock(Path(sys.argv[1]), 0):\n    print('held', flush=True); time.sleep(60)",
            str(site.root / ".feedpub-cache" / "lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    run(site, "build", "--wait", "0.2", code=4)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    run(site, "build", "--wait", "5")


# Killed at any moment ----------------------------------------------------------------------------


def test_killed_at_any_moment_nothing_is_torn(site: SiteDir) -> None:
    """SIGKILL at random moments of 50 builds: each feed on disk is the old one or the new one,
    whole, the cache left behind still gives the right feeds, and the next build removes the
    temporary files a killed one left."""
    for number in range(60):
        site.article(
            f"a{number:02d}.md", article(f"Article {number}", f"2024-01-{number % 28 + 1:02d}", "Body. " * 200)
        )
    started = time.monotonic()
    run(site, "build", "--now", NOW)
    duration = time.monotonic() - started
    config = load_config(site.config)
    schedule = make_schedule(config, NOW)
    rng = random.Random(9)
    for attempt in range(50):
        path = site.articles / f"a{rng.randrange(60):02d}.md"
        path.write_text(
            article(f"Edit {attempt}", f"2024-02-{attempt % 28 + 1:02d}", "Body. " * rng.randrange(50, 400))
        )
        before = {name: (site.feeds / name).read_bytes() for name in ("rss.xml", "atom.xml", "feed.json")}
        expected = publish(replace(config, output=site.root / "expected"), schedule=schedule, use_cache=False).feeds
        process = subprocess.Popen(
            [sys.executable, "-m", "feedpub", "build", "--now", NOW],
            cwd=site.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0, duration * 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for name, old in before.items():
            on_disk = (site.feeds / name).read_bytes()
            assert on_disk in (old, expected[name]), f"attempt {attempt}: {name} is neither the old feed nor the new"
        assert publish(config, schedule=schedule).feeds == expected, f"attempt {attempt}: the cache went wrong"
        assert not [p for p in site.feeds.iterdir() if p.name.startswith(".")], "a killed build's file stayed"


# Disks --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("errno", "words"),
    [(28, "No space left on device"), (30, "Read-only file system"), (2, "No such file or directory")],
)
def test_a_full_read_only_or_vanished_disk_is_one_line_and_exit_3(
    site: SiteDir, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, errno: int, words: str
) -> None:
    site.article("a.md", article("A", "2024-01-01"))
    invoke("build", cwd=site.root)
    old = {name: (site.feeds / name).read_bytes() for name in ("rss.xml", "atom.xml", "feed.json")}
    site.article("b.md", article("B", "2024-01-02"))
    real_write = os.write

    def failing_write(descriptor: int, data: bytes) -> int:
        if str(Path(f"/proc/self/fd/{descriptor}").readlink()).endswith(".tmp"):
            raise OSError(errno, os.strerror(errno))
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", failing_write)
    result = invoke("build", cwd=site.root, code=3)
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and words in line and line.endswith("the old feeds are unchanged")
    assert {name: (site.feeds / name).read_bytes() for name in old} == old
    assert sorted(p.name for p in site.feeds.iterdir()) == ["atom.xml", "feed.json", "index.html", "rss.xml"]


# Keep going ---------------------------------------------------------------------------------------


def test_keep_going_publishes_without_the_broken_articles(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", article("A", "2024-01-01"))
    invoke("build", cwd=site.root)
    site.article("b.md", article("B", "2024-01-02"))
    site.article("broken.md", "---\ntitle: Broken\ndate: 2024-13-45\n---\nText.\n")
    site.article("copy.md", "---\ntitle: B again\nslug: b\ndate: 2024-01-02\n---\nText.\n")  # b.md's URL
    refused = invoke("build", cwd=site.root, code=1)
    assert "feedpub: 2 errors; no feed was changed" in refused.stderr
    assert [e.title for e in parse_feed((site.feeds / "atom.xml").read_bytes()).entries] == ["A"]
    kept = invoke("build", "--keep-going", cwd=site.root, code=5)
    assert "articles/broken.md:3: error:" in kept.stderr
    assert "articles/copy.md" in kept.stderr
    assert kept.stderr.rstrip().endswith("feedpub: 2 errors; published without those articles")
    assert [e.title for e in parse_feed((site.feeds / "atom.xml").read_bytes()).entries] == ["B", "A"]


# Cron manners -------------------------------------------------------------------------------------


def test_a_build_process_ends_with_its_output_whole_and_its_exit_code(site: SiteDir) -> None:
    """`feedpub build` ends its process at once when done (feedpub.__main__._leave), its output flushed
    first: with output to a pipe (block-buffered, as cron's), every line is there and the code is
    the build's, for a build, a quick check that found nothing changed, and a build with errors."""
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "PYTHONUNBUFFERED")}

    def build(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "feedpub", "build", *args]
        return subprocess.run(command, cwd=site.root, capture_output=True, text=True, env=env)

    age(site.article("a.md", article("A", "2024-01-01")))
    built = build()
    assert built.returncode == 0 and built.stdout.startswith("wrote ") and built.stdout.endswith(" s\n")
    same = build()
    assert same.returncode == 0 and "none changed" in same.stdout and same.stdout.endswith(" s\n")
    age(site.article("b.md", "---\ntitle: B\n---\nNo date.\n"))
    broken = build()
    assert broken.returncode == 1 and broken.stdout == ""
    assert "b.md:1: error:" in broken.stderr and broken.stderr.endswith("1 error; no feed was changed\n")


@pytest.mark.parametrize("buffered", [True, False])
@pytest.mark.parametrize("run_kind", ["build", "quick check"])
def test_output_to_a_reader_that_went_away_is_exit_1_without_a_traceback(
    site: SiteDir, run_kind: str, buffered: bool
) -> None:
    age(site.article("a.md", article("A", "2024-01-01")))
    if run_kind == "quick check":
        run(site, "build")  # the record the next run finds the folder as
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    reading, writing = os.pipe()
    os.close(reading)  # every write to the pipe fails
    try:
        result = subprocess.run(
            [sys.executable, "-m", "feedpub", "build"],
            cwd=site.root,
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            env=env if buffered else {**env, "PYTHONUNBUFFERED": "1"},
        )
    finally:
        os.close(writing)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr


def test_quiet_on_success_one_summary_line_otherwise(site: SiteDir, invoke: Invoke) -> None:
    site.article("_posts/2024-01-01-a.md", "---\ntitle: A\n---\nHas a {% gallery %} tag.\n")
    assert invoke("build", "-q", cwd=site.root).stdout == ""
    assert invoke("build", "-q", cwd=site.root).stderr == ""
    result = invoke("build", cwd=site.root)
    [line] = result.stdout.splitlines()
    assert line.startswith(
        "unchanged feeds/rss.xml, feeds/atom.xml, feeds/feed.json, feeds/index.html (1 item each); 1 article file: "
        "0 parsed, 1 unchanged"
    )
    assert " rendered: 0 fresh, 1 from the cache; " in line and line.endswith(" s")
    assert "{% gallery %}" in result.stderr  # warnings still go to stderr
    assert "parsing" not in result.stderr  # no progress bar without a terminal


def test_the_readme_crontab_and_systemd_units_run_feedpub_build() -> None:
    """The set-ups the README offers parse, and their command is a `feedpub build` the CLI takes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = dict(_code_blocks(readme))
    [entry] = [line for line in blocks["crontab"].splitlines() if line.strip() and not line.startswith("#")]
    *when, command = entry.split(None, 5)
    assert len(when) == 5 and all(re.fullmatch(r"(\*|\d+)(/\d+)?(,\d+)*", field) for field in when), when
    units = {}
    for name in ("feedpub.service", "feedpub.timer"):
        parser = configparser.ConfigParser(interpolation=None, strict=True)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(blocks[name])
        units[name] = parser
    timer, service = units["feedpub.timer"], units["feedpub.service"]
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == "timers.target"
    assert service["Service"]["Type"] == "oneshot" and service["Service"]["WorkingDirectory"].startswith("/")
    for line in (command.split("&&")[-1], service["Service"]["ExecStart"]):
        program, subcommand, *options = shlex.split(line)
        assert program.endswith("feedpub") and subcommand == "build"
        build = main.commands["build"]
        build.make_context("build", options)  # raises for an option the CLI does not take


def _code_blocks(text: str) -> list[tuple[str, str]]:
    """The README's fenced blocks that name themselves: a first line `# file: NAME`."""
    blocks = []
    for chunk in text.split("```")[1::2]:
        lines = chunk.split("\n")[1:]
        if lines and lines[0].startswith("# file: "):
            blocks.append((lines[0].removeprefix("# file: ").strip(), "\n".join(lines[1:])))
    return blocks


# The heads the cache keeps choose as the articles do ---------------------------------------------

MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2021, 1, 1),
    timezones=st.sampled_from([UTC, ZoneInfo("Asia/Kolkata")]),
)


@given(
    rows=st.lists(
        st.tuples(MOMENTS, st.none() | MOMENTS, st.none() | MOMENTS, st.booleans(), st.sampled_from("abc")), max_size=12
    ),
    now=MOMENTS,
    since=st.none() | MOMENTS,
    drafts=st.booleans(),
    future=st.booleans(),
    limit=st.integers(min_value=1, max_value=5),
)
def test_heads_choose_and_foresee_as_the_articles_do(
    rows: list[tuple[datetime, datetime | None, datetime | None, bool, str]],
    now: datetime,
    since: datetime | None,
    drafts: bool,
    future: bool,
    limit: int,
) -> None:
    articles = [
        replace(
            make_article("Body."),
            path=Path(f"/a/{n}.md"),
            id=f"{ident}{n % 2}",
            date=date,
            publish_date=publish,
            expiry_date=expiry,
            draft=draft,
        )
        for n, (date, publish, expiry, draft, ident) in enumerate(rows)
    ]
    schedule = Schedule(now=now, drafts=drafts, future=future, since=since)
    lazy = SiteArticles([Head.of(article) for article in articles], lambda index: articles[index])
    assert choose(lazy, limit, schedule) == list(feeds.select(articles, limit, schedule))
    expected = schedule.changes_at(articles)
    assert next_change(lazy, schedule) == (int(expected.timestamp() * 1e9) if expected else None)


def test_articles_read_in_passing_are_not_kept_by_any_sequence_they_go_through() -> None:
    """The archive pages go through every article once: read in passing, none stays in memory, at any
    level of the sequences the id ledger and --keep-going wrap; asked for by index, it stays."""
    articles = [replace(make_article("Body."), path=Path(f"/a/{n}.md"), id=f"id-{n}") for n in range(4)]
    loads: list[int] = []
    base = SiteArticles([Head.of(a) for a in articles], lambda index: loads.append(index) or articles[index])
    wrapped = base.with_ids({1: "kept-id"}).without({"/a/0.md"})
    assert [wrapped.passing(i).id for i in range(3)] == ["kept-id", "id-2", "id-3"]
    assert [wrapped.passing(i).id for i in range(3)] == ["kept-id", "id-2", "id-3"]
    assert loads == [1, 2, 3, 1, 2, 3]  # read back each time: kept nowhere
    assert wrapped[0].id == wrapped[0].id == "kept-id" and loads == [1, 2, 3, 1, 2, 3, 1]


def test_a_warning_about_one_change_is_not_said_again_by_the_quick_check(site: SiteDir) -> None:
    for day in (1, 2):
        age(site.article(f"a{day}.md", article(f"Day {day}", f"2024-01-0{day}")))
    run(site, "build")
    (site.articles / "a2.md").unlink()
    time.sleep(0.01)
    assert "is gone" in run(site, "build").stderr
    again = run(site, "build")
    assert "none changed" in again.stdout and "is gone" not in again.stderr


def test_the_quick_check_leaves_a_config_it_cannot_read_to_the_full_build(tmp_path: Path) -> None:
    config = tmp_path / "feedpub.toml"
    assert quick.cache_folder(str(config), b"[build]\ncache = 'c'\n") == str(tmp_path / "c")
    assert quick.cache_folder(str(config), b"[build]\ncache = " + b"[" * 5000 + b"]" * 5000) is None


@pytest.mark.parametrize("value", ["nan", "-1", "soon"])
def test_wait_must_be_a_number_of_seconds(site: SiteDir, invoke: Invoke, value: str) -> None:
    result = invoke("build", "--wait", value, cwd=site.root, code=2)
    assert "Invalid value for '--wait'" in result.stderr
