"""check, list, new and import, through click's runner."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime

from conftest import TESTS, Invoke, SiteDir

from feedpub import import_stories, load_config, load_site

GOOD = "---\ntitle: {title}\ndate: {date}\n{more}---\nBody.\n"


def test_check_is_quiet_about_files_and_exits_by_errors(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", GOOD.format(title="A", date="2026-01-01", more="tittle: x\n"))
    result = invoke("check", cwd=site.root)
    assert "articles/a.md:4: warning: 'tittle': unknown key; did you mean 'title'?" in result.stderr
    assert "1 article, no errors, 1 warning" in result.stderr
    assert not site.feeds.exists()
    site.article("b.md", GOOD.format(title="B", date="2026-02-30", more=""))
    failed = invoke("check", cwd=site.root, code=1)
    assert "articles/b.md:3: error: 'date' could not be read" in failed.stderr
    assert not site.feeds.exists()


def test_list_shows_status_newest_first(site: SiteDir, invoke: Invoke) -> None:
    site.article("old.md", GOOD.format(title="Old", date="2026-01-01", more=""))
    site.article("draft.md", GOOD.format(title="Draft", date="2026-02-01", more="draft: true\n"))
    site.article("soon.md", GOOD.format(title="Soon", date="2026-12-01", more=""))
    site.article("gone.md", GOOD.format(title="Gone", date="2026-01-05", more="expiryDate: 2026-03-01\n"))
    result = invoke("list", "--now", "2026-06-01", cwd=site.root)
    lines = result.stdout.splitlines()
    assert [line.split()[2] for line in lines] == ["scheduled", "draft", "expired", "published"]
    assert lines[0] == "2026-12-01 00:00  scheduled  tag:example.org,2026-12-01:soon  Soon"
    rows = json.loads(invoke("list", "--json", "--now", "2026-06-01", cwd=site.root).stdout)
    assert rows[1] == {
        "date": "2026-02-01T00:00:00+01:00",
        "updated": "2026-02-01T00:00:00+01:00",
        "status": "draft",
        "id": "tag:example.org,2026-02-01:draft",
        "url": "https://example.org/2026/02/draft/",
        "title": "Draft",
        "path": "articles/draft.md",
        "markdown": "commonmark+smart",
    }
    site.article("_posts/2026-01-02-jekyll.md", GOOD.format(title="Jekyll", date="2026-01-02", more=""))
    site.article("bundle/index.md", GOOD.format(title="Bundle", date="2026-01-03", more=""))
    site.article("pelican.md", "Title: Pelican\nDate: 2026-01-04\n\nText.\n")
    verbose = invoke("list", "-v", "--now", "2026-06-01", cwd=site.root).stdout
    assert "Jekyll  [jekyll: articles/_posts/2026-01-02-jekyll.md]" in verbose
    assert "Bundle  [hugo: articles/bundle/index.md]" in verbose
    assert "Pelican  [pelican: articles/pelican.md]" in verbose
    assert "Old  [commonmark+smart: articles/old.md]" in verbose


def test_new_creates_a_draft_and_never_overwrites(site: SiteDir, invoke: Invoke) -> None:
    result = invoke("new", "Grüße: a *new* post?", "--now", "2026-11-25 10:30", cwd=site.root)
    assert result.stdout == "wrote articles/grüße-a-new-post.md (a draft: remove 'draft: true' to publish it)\n"
    [article] = load_site(site.config).articles
    assert (article.title, article.date.isoformat(), article.draft) == (
        "Grüße: a *new* post?",
        "2026-11-25T10:30:00+01:00",
        True,
    )
    assert [a.name for a in article.authors] == ["Test Author"]
    before = article.path.read_bytes()
    again = invoke("new", "Grüße: a *new* post?", cwd=site.root, code=1)
    assert "articles/grüße-a-new-post.md: error: already exists; feedpub new never overwrites" in again.stderr
    assert article.path.read_bytes() == before


def test_import_files_and_stdin(site: SiteDir, invoke: Invoke) -> None:
    source = site.root / "story.txt"
    shutil.copy(TESTS / "newsroom" / "key-points-double-bullets.txt", source)
    os.utime(source, (1_780_000_000, 1_780_000_000))
    result = invoke("import", str(source), "--author", "Mara Keller", "--tag", "news", cwd=site.root)
    assert result.stdout == "wrote articles/city-library-opens-its-full-archive-as-web-feeds.md\n"
    assert "story.txt: warning: no --date given; dated by the file's time, 2026-05-28T" in result.stderr
    stdin = "Second story\n\nIts standfirst.\n\nIts body.\n"
    piped = invoke("import", "-", "--date", "2026-11-20 07:30", cwd=site.root, input=stdin)
    assert piped.stdout == "wrote articles/second-story.md\n"
    articles = {a.title: a for a in load_site(site.config).articles}
    story = articles["City library opens its full archive as web feeds"]
    assert story.key_points == (
        "Every catalogue notice since 1998 is available.",
        "Readers can follow single subjects.",
    )
    assert ([a.name for a in story.authors], story.tags) == (["Mara Keller"], ("news",))
    second = articles["Second story"]
    assert (second.summary, second.date.isoformat()) == ("Its standfirst.", "2026-11-20T07:30:00+01:00")


def test_import_never_overwrites_and_goes_on_with_the_others(site: SiteDir, invoke: Invoke) -> None:
    existing = site.article("second-story.md", GOOD.format(title="Mine", date="2026-01-01", more=""))
    (site.root / "a.txt").write_text("Second story\n\nText.\n", encoding="utf-8")
    (site.root / "b.txt").write_text("Third story\n\nText.\n", encoding="utf-8")
    (site.root / "blank.txt").write_text("\n\n", encoding="utf-8")
    result = invoke("import", "a.txt", "b.txt", "blank.txt", "--date", "2026-11-20", cwd=site.root, code=1)
    assert "articles/second-story.md: error: already exists (from a.txt); feedpub import never overwrites" in (
        result.stderr
    )
    assert "blank.txt:1: error: is empty; a newsroom article starts with its headline" in result.stderr
    assert "feedpub: 2 errors; those files were not imported" in result.stderr
    assert result.stdout == "wrote articles/third-story.md\n"
    assert "title: Mine" in existing.read_text(encoding="utf-8")


def test_import_removes_characters_xml_forbids_and_writes_an_article_that_builds(site: SiteDir, invoke: Invoke) -> None:
    (site.root / "c.txt").write_bytes(b"Bell\x07 story\r\rIts stand\x00first.\r\rBody \x0bhere.\r")
    result = invoke("import", "c.txt", "--date", "2026-11-20", cwd=site.root)
    assert result.stdout == "wrote articles/bell-story.md\n"
    assert result.stderr == (
        "c.txt:1: warning: holds control characters XML forbids (U+0000, U+0007, U+000B), from this line on;"
        " they were removed\n"
    )
    assert invoke("build", cwd=site.root).stderr == ""
    [article] = load_site(site.config).articles
    assert (article.title, article.summary, article.body.strip()) == ("Bell story", "Its standfirst.", "Body here.")


def test_import_refuses_undecodable_standard_input(site: SiteDir) -> None:
    # Python reads undecodable standard input with surrogate escapes, which no feed can hold.
    config = load_config(site.config)
    result = import_stories(config, [("<stdin>", "Head\udcff line\n\nText.\n")], date=datetime(2026, 1, 1, tzinfo=UTC))
    assert [problem.format() for problem in result.problems] == [
        "<stdin>:1: error: is not UTF-8 text; save it as UTF-8"
    ]
    assert (result.written, list(site.articles.iterdir())) == ((), [])
