"""Which files are articles: suffixes, hidden files, excludes, section pages, stubs, symlinks."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from conftest import SITE_CONFIG, Invoke, SiteDir

from feedpub import load_site
from feedpub.read.articles import _place
from feedpub.read.sources import excluded

POST = "---\ntitle: {title}\ndate: 2026-05-01\n---\nBody.\n"


def titles(site: SiteDir) -> list[str]:
    return sorted(article.title for article in load_site(site.config).articles)


def test_non_articles_beside_articles_are_ignored(site: SiteDir) -> None:
    site.article("post.md", POST.format(title="Post"))
    site.article("bundle/index.md", POST.format(title="Bundle"))
    (site.articles / "bundle" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00JFIF")
    (site.articles / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (site.articles / "post.md~").write_text("editor backup", encoding="utf-8")
    (site.articles / ".post.md.swp").write_bytes(b"\x00swap")
    (site.articles / "#post.md#").write_text("emacs", encoding="utf-8")
    (site.articles / "notes.txt").write_text("not an article", encoding="utf-8")
    site.article(".hidden/secret.md", POST.format(title="Hidden"))
    site.article("UPPER.MD", POST.format(title="Upper-case suffix"))
    assert titles(site) == ["Bundle", "Post", "Upper-case suffix"]


def test_section_pages_and_redirect_stubs_are_skipped_with_a_note(site: SiteDir, invoke: Invoke) -> None:
    site.article("posts/_index.md", "---\ntitle: Posts\n---\nThe section.\n")
    site.article("posts/first.md", POST.format(title="First"))
    site.article("old.md", "---\nredirect_to: https://example.org/new/\n---\n")
    site.article("moved.md", "---\naliases: [/a/, /b/]\nlayout: redirect\n---\n")
    # What a blog that moved leaves behind: no front matter, only an HTML redirect.
    site.article("2017-06-21-gone.md", '<meta http-equiv="Refresh" content="0; url=\'https://x.org/p/\'" />\r\n')
    site.article("post.md", POST.format(title="Post"))
    assert titles(site) == ["First", "Post"]
    quiet = invoke("build", cwd=site.root)
    assert "note:" not in quiet.stderr
    verbose = invoke("build", "-v", cwd=site.root)
    assert "articles/posts/_index.md: note: a Hugo section page, not an article; skipped" in verbose.stderr
    assert "articles/old.md: note: a redirect page, not an article; skipped" in verbose.stderr
    assert "articles/moved.md: note: a redirect page" in verbose.stderr
    assert "articles/2017-06-21-gone.md: note: a redirect page (an HTML meta refresh), not an article" in verbose.stderr


def test_a_meta_refresh_with_more_text_is_not_a_redirect_stub(site: SiteDir, invoke: Invoke) -> None:
    site.article("page.md", '<meta http-equiv="refresh" content="5">\nRead on.\n')
    assert "articles/page.md:1: error: no front matter" in invoke("build", cwd=site.root, code=1).stderr


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        pytest.param("drafts/", "drafts/a.md", True, id="folder-with-slash"),
        pytest.param("drafts", "x/drafts/a.md", True, id="name-anywhere"),
        pytest.param("*.draft.md", "x/y.draft.md", True, id="suffix-glob"),
        pytest.param("notes/private/**", "notes/private/a/b.md", True, id="deep-glob"),
        pytest.param("notes/private/**", "notes/public/a.md", False, id="other-folder"),
        pytest.param("/top.md", "top.md", True, id="anchored"),
        pytest.param("top.md", "x/top.md", True, id="name-in-subfolder"),
        pytest.param("x/top.md", "y/x/top.md", False, id="path-from-the-top"),
    ],
)
def test_exclude_patterns(pattern: str, path: str, expected: bool) -> None:
    assert excluded(PurePosixPath(path), (pattern,)) is expected


def test_exclude_from_the_config(site: SiteDir) -> None:
    site.write_config(site.config.read_text(encoding="utf-8") + '[build]\nexclude = ["drafts/", "*.wip.md"]\n')
    site.article("drafts/a.md", POST.format(title="A"))
    site.article("b.wip.md", "not even front matter")
    site.article("c.md", POST.format(title="C"))
    assert titles(site) == ["C"]


def test_symlink_outside_the_folder_is_an_error(site: SiteDir, tmp_path: Path, invoke: Invoke) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(POST.format(title="Elsewhere"), encoding="utf-8")
    (site.articles / "link.md").symlink_to(outside)
    (site.articles / "folder-link").symlink_to(tmp_path)
    result = invoke("build", cwd=site.root, code=1)
    assert f"articles/link.md: error: is a symbolic link to {outside}, outside the articles folder" in result.stderr
    assert "articles/folder-link: error: is a symbolic link to" in result.stderr


def test_symlink_inside_the_folder_is_read_once(site: SiteDir) -> None:
    site.article("real/post.md", POST.format(title="Post"))
    (site.articles / "alias.md").symlink_to(site.articles / "real" / "post.md")
    (site.articles / "alias-folder").symlink_to(site.articles / "real")
    assert titles(site) == ["Post"]


def test_markdown_inside_a_page_bundle_belongs_to_it(site: SiteDir) -> None:
    """Hugo's leaf bundles: index.md is the article, other Markdown under it is a resource."""
    site.article("post/index.md", POST.format(title="Bundle"))
    site.article("post/notes.md", "scratch notes, no front matter")
    site.article("post/drafts/v2.md", "an old version")
    site.article("post/.context.md", "hidden")
    site.article("loose.md", POST.format(title="Loose"))
    assert titles(site) == ["Bundle", "Loose"]


def test_a_top_level_index_is_an_article_not_a_bundle(site: SiteDir) -> None:
    site.article("index.md", POST.format(title="Index"))
    site.article("other.md", POST.format(title="Other"))
    assert titles(site) == ["Index", "Other"]


def test_a_draft_without_a_date_is_skipped_with_a_note(site: SiteDir, invoke: Invoke) -> None:
    site.article("idea.md", "---\ntitle: An idea\ndate:\ndraft: true\n---\nLater.\n")
    site.article("hidden.md", "Title: Hidden page\nStatus: hidden\n\nText.\n")
    site.article("post.md", POST.format(title="Post"))
    assert titles(site) == ["Post"]
    result = invoke("build", "-v", cwd=site.root)
    assert "articles/idea.md: note: a draft without a date; skipped" in result.stderr
    assert "articles/hidden.md: note: a draft without a date; skipped" in result.stderr
    site.article("undated.md", "---\ntitle: Undated\n---\nNot a draft.\n")
    assert "articles/undated.md:1: error: 'date' is missing" in invoke("build", cwd=site.root, code=1).stderr


@pytest.mark.parametrize(
    ("path", "root", "place"),
    [
        ("/a/b/c.md", "/a", ("b", "c")),
        ("/a/b/c.md", "/a/b", ("", "c")),
        ("a/b.md", ".", ("a", "b")),
        ("/x/a.md", ".", ("", "a")),  # handed in from elsewhere: its name alone
        ("a/b.md", "/a", ("", "b")),
        ("/a/index.md", "/a", ("", "index")),  # a top-level index is an article of its own name
        ("/a/x/index.md", "/a", ("", "x")),  # a page bundle is named by its folder
        ("/a/x/_INDEX.md", "/a", ("", "x")),
        ("/a/x/.md", "/a", ("x", ".md")),
        ("/a/x/a.b.md", "/a", ("x", "a.b")),
        ("/a/x/y/post.markdown", "/a", ("x/y", "post")),
        ("/a.md", "/", ("", "a")),
    ],
)
def test_an_articles_place_is_its_folder_under_the_articles_folder_and_its_name(
    path: str, root: str, place: tuple[str, str]
) -> None:
    assert _place(Path(path), Path(root)) == place


@pytest.mark.parametrize(
    ("build", "article"),
    [
        pytest.param('articles = "."\n', "post.md", id="articles-beside-the-config"),
        pytest.param(
            'articles = "content"\noutput = "content/feeds"\ncache = "content/cache"\nids = "content/ids.json"\n',
            "content/post.md",
            id="feeds-cache-and-ids-inside-the-articles-folder",
        ),
    ],
)
def test_feedpubs_own_files_are_never_read_as_articles(site: SiteDir, invoke: Invoke, build: str, article: str) -> None:
    """Its config, its feeds (feed.json, index.html), its cache and its id ledger live where the site
    owner puts them, the articles folder too: a build after a build reads the same articles."""
    site.write_config(SITE_CONFIG + "\n[build]\n" + build)
    (site.root / article).parent.mkdir(parents=True, exist_ok=True)
    (site.root / article).write_text("---\ntitle: Post\ndate: 2026-01-01\n---\nText.\n", encoding="utf-8")
    for command in ("build", "build", "check"):
        result = invoke(command, "--verbose", cwd=site.root)
        assert ": warning: " not in result.stderr and ": error: " not in result.stderr, result.stderr
        assert "1 article" in result.stdout + result.stderr
    output = site.root / ("feeds" if article == "post.md" else "content/feeds")
    assert (output / "feed.json").is_file() and (output / "index.html").is_file()


def test_feeds_written_into_the_articles_folder_are_refused(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + '\n[build]\narticles = "posts"\noutput = "./posts/"\n')
    result = invoke("build", cwd=site.root, code=1)
    assert 'feedpub.toml:11: error: [build] output: "./posts/" is the articles folder' in result.stderr
