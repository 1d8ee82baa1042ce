"""feedpub init: a new project, and init --from reading Jekyll, Hugo, Pelican and Eleventy configurations."""

from __future__ import annotations

import textwrap
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Invoke

from feedpub import cli
from feedpub.config import config_keys, load_config
from feedpub.init import Answers, eleventy, hugo, jekyll, new_project, pelican, read_site, site_config
from feedpub.init.toml import toml_value

POST = "---\ntitle: {title}\ndate: {date}\n---\nThe body of {title}.\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def init_from(tmp_path: Path, files: dict[str, str], loads: bool = True) -> tuple[str, dict[str, dict[str, object]]]:
    """Write a site, run read_site + site_config for a feedpub.toml beside it; the text and its TOML."""
    site = write(tmp_path / "site", files)
    target = tmp_path / "feeds-project"
    target.mkdir()
    text = site_config(read_site(site, target), site, target)
    (target / "feedpub.toml").write_text(text, encoding="utf-8")
    if loads:  # what init writes loads, when the site gives the required title and URL (the CLI asks else)
        load_config(target / "feedpub.toml")
    return text, tomllib.loads(text)


# --- permalinks, per generator -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected", "noted"),
    [
        ("date", "/{year}/{month}/{day}/{name}.html", ":categories"),
        ("pretty", "/{year}/{month}/{day}/{name}/", ":categories"),
        ("none", "/{name}.html", ":categories"),
        ("ordinal", "/{year}/{name}.html", ":y_day"),
        ("weekdate", "/{year}/W/{name}.html", ":week"),
        ("/blog/:year/:month/:day/:title", "/blog/{year}/{month}/{day}/{name}", None),
        ("/:slug/", "/{slug}/", None),
        ("/:year/:i_month/:title/", "/{year}/{name}/", ":i_month"),
        ("/:collection/:title:output_ext", "/posts/{name}.html", None),
        ("/:year/:short_month/", None, ":short_month"),
    ],
)
def test_jekyll_permalinks(pattern: str, expected: str | None, noted: str | None) -> None:
    result = jekyll.translate_permalink(pattern)
    assert result.permalink == expected
    if noted:
        assert any(f'"{noted}"' in note for note in result.notes), result.notes
    elif expected:
        assert result.notes == ()
    if expected is None:
        assert any("default is kept" in note for note in result.notes)


@pytest.mark.parametrize(
    ("pattern", "expected", "noted"),
    [
        ("/:year/:month/:day/:slug/", "/{year}/{month}/{day}/{slug}/", None),
        ("/:section/:filename/", "/posts/{name}/", None),
        ("/:sections/:contentbasename/", "/posts/{name}/", None),
        ("/:year/:slugorfilename/", "/{year}/{name}/", None),
        ("/:title/", "/{slug}/", None),
        ("/:year/:monthname/:slug/", "/{year}/{slug}/", ":monthname"),
    ],
)
def test_hugo_permalinks(pattern: str, expected: str, noted: str | None) -> None:
    result = hugo.translate_permalink(pattern, "posts")
    assert result.permalink == expected
    assert any(f'"{noted}"' in note for note in result.notes) if noted else result.notes == ()


@pytest.mark.parametrize(
    ("pattern", "expected", "noted"),
    [
        ("{slug}.html", "/{slug}.html", None),
        ("blog/{date:%Y}/{date:%m}/{date:%d}/{slug}/", "/blog/{year}/{month}/{day}/{slug}/", None),
        ("{lang}/{slug}/", "/de/{slug}/", None),
        ("{category}/{slug}.html", "/{slug}.html", "{category}"),
        ("{date:%b}/{slug}/", "/{slug}/", "{date:%b}"),
    ],
)
def test_pelican_permalinks(pattern: str, expected: str, noted: str | None) -> None:
    result = pelican.translate_permalink(pattern, "de")
    assert result.permalink == expected
    assert any(f'"{noted}"' in note for note in result.notes) if noted else result.notes == ()


def test_eleventy_permalinks() -> None:
    result = eleventy.translate_permalink('/{{ page.date | date: "%Y" }}/{{ page.fileSlug }}/')
    assert result.permalink == "/{year}/{name}/"
    unknown = eleventy.translate_permalink("/{{ page.date | toDatePath }}/{{ page.fileSlug }}/")
    assert unknown.permalink == "/{name}/"
    assert any("toDatePath" in note for note in unknown.notes)


def test_literal_braces_in_a_pattern_stay_literal() -> None:
    assert jekyll.translate_permalink("/{x}/:title/").permalink == "/{{x}}/{name}/"


# --- Jekyll --------------------------------------------------------------------------------------


def test_jekyll_site(tmp_path: Path) -> None:
    text, toml = init_from(
        tmp_path,
        {
            "_config.yml": """\
                title: Field Notes
                description: >
                  Notes on
                  feeds.
                url: "https://example.org"
                baseurl: /blog
                lang: en_GB
                author:
                  name: Ann Author
                  email: ann@example.org
                timezone: Europe/Berlin
                permalink: pretty
                kramdown:
                  smart_quotes: ["apos", "apos", "quot", "quot"]
                exclude: [Gemfile, _posts/drafts]
                collections:
                  recipes:
                    output: true
                future: true
                repository: https://github.com/example/notes
            """,
            "_posts/2026-01-05-hello.md": POST.format(title="Hello", date="2026-01-05") + "{{ site.repository }}\n",
            "_posts/2026-01-06-filed.md": "---\ntitle: Filed\ncategories: [news]\n---\nBody.\n",
        },
    )
    site, build = toml["site"], toml["build"]
    assert site["url"] == "https://example.org/blog/"
    assert site["description"] == "Notes on feeds."
    assert (site["language"], site["author"], site["timezone"]) == ("en-GB", "Ann Author", "Europe/Berlin")
    assert build["articles"] == "../site/_posts"
    assert build["permalink"] == "/{year}/{month}/{day}/{name}/"
    assert (build["markdown"], build["smart"], build["exclude"]) == ("jekyll", False, ["drafts"])
    assert build["site_variables"] == {"repository": "https://github.com/example/notes"}
    assert '# permalink: Jekyll\'s ":categories"' in text and "1 of 2 posts have categories" in text
    assert "# articles: the collection 'recipes' (output: true)" in text
    assert "future: true" in text


def test_jekyll_permalink_of_the_posts_defaults_and_collection(tmp_path: Path) -> None:
    post = {"_posts/2026-01-05-hello.md": POST.format(title="Hello", date="2026-01-05")}
    defaults = """\
        title: T
        url: https://example.org
        permalink: date
        defaults:
          - scope: {path: "", type: posts}
            values: {permalink: /blog/:title/}
    """
    _, toml = init_from(tmp_path / "a", {"_config.yml": defaults, **post})
    assert toml["build"]["permalink"] == "/blog/{name}/"
    collection = "title: T\nurl: https://example.org\ncollections:\n  posts:\n    permalink: /news/:year/:slug/\n"
    _, toml = init_from(tmp_path / "b", {"_config.yml": collection, **post})
    assert toml["build"]["permalink"] == "/news/{year}/{slug}/"
    assert toml["site"].get("timezone") is None  # none set: said in a comment, UTC assumed


# --- Hugo ----------------------------------------------------------------------------------------


def hugo_posts(section: str, count: int) -> dict[str, str]:
    return {
        f"content/{section}/p{number}.md": f'+++\ntitle = "P{number}"\ndate = 2026-01-0{number + 1}\n+++\nBody.\n'
        for number in range(count)
    }


def test_hugo_site(tmp_path: Path) -> None:
    text, toml = init_from(
        tmp_path,
        {
            "hugo.toml": """\
                baseURL = "https://example.org/"
                title = "Hugo Notes"
                languageCode = "de-de"
                timeZone = "Europe/Vienna"
                [params]
                description = "Notes."
                [params.author]
                name = "Ann"
                [permalinks.page]
                posts = "/:year/:month/:slug/"
                [markup.goldmark.renderer]
                unsafe = true
                [markup.goldmark.extensions]
                typographer = false
                linkify = false
            """,
            **hugo_posts("posts", 3),
            **hugo_posts("notes", 1),
            "content/about.md": "+++\ntitle = 'About'\n+++\nA page.\n",
        },
    )
    site, build = toml["site"], toml["build"]
    assert (site["url"], site["title"], site["language"], site["timezone"]) == (
        "https://example.org/",
        "Hugo Notes",
        "de-de",
        "Europe/Vienna",
    )
    assert (site["description"], site["author"]) == ("Notes.", "Ann")
    assert build["articles"] == "../site/content/posts"
    assert (build["permalink"], build["slug_from"]) == ("/{year}/{month}/{slug}/", "title")
    assert (build["markdown"], build["raw_html"], build["smart"], build["linkify"]) == ("hugo", True, False, False)
    assert build["lowercase_urls"] is True
    assert "the section 'posts' holds the posts" in text


def test_hugo_old_permalinks_main_sections_and_config_folder(tmp_path: Path) -> None:
    _, toml = init_from(
        tmp_path,
        {
            "config/_default/hugo.yaml": "baseURL: https://example.org\ntitle: T\ndisablePathToLower: true\n",
            "config/_default/params.yaml": "mainSections: [notes]\n",
            "config/_default/permalinks.yaml": "notes: /n/:filename/\n",
            **hugo_posts("posts", 3),
            **hugo_posts("notes", 1),
        },
    )
    assert toml["build"]["articles"] == "../site/content/notes"
    assert toml["build"]["permalink"] == "/n/{name}/"
    assert "lowercase_urls" not in toml["build"]
    assert toml["site"]["timezone"] == "UTC"


def test_hugo_posts_spread_over_sections_and_ugly_urls(tmp_path: Path) -> None:
    files = {"config.json": '{"baseURL": "https://example.org/", "title": "T", "uglyURLs": true}'}
    for section in ("a", "b", "c"):
        files.update(hugo_posts(section, 1))
    _, toml = init_from(tmp_path, files)
    assert toml["build"]["articles"] == "../site/content"
    assert toml["build"]["permalink"] == "/{path}.html"


# --- Pelican -------------------------------------------------------------------------------------


def test_pelican_config_is_read_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text, toml = init_from(
        tmp_path,
        {
            "pelicanconf.py": f"""\
                import os
                open({str(marker)!r}, "w").write("the config was executed")
                raise SystemExit("executed")
                LOCAL = False
                AUTHOR = 'Ann'
                SITENAME = AUTHOR + "'s notes"
                SITEURL = 'http://localhost:8000' if LOCAL else 'https://staging.example.org'
                TIMEZONE = 'Europe/Prague'
                DEFAULT_LANG = 'cs'
                PATH = 'content'
                ARTICLE_URL = 'blog/{{date:%Y}}/{{slug}}/'
                FILENAME_METADATA = r'(?P<date>\\d{{4}}-\\d{{2}}-\\d{{2}})_(?P<slug>.*)'
                SITESUBTITLE = os.environ.get("SUBTITLE", "x")
                MARKDOWN = {{
                    'extension_configs': {{
                        'markdown.extensions.extra': {{}},
                        'markdown.extensions.toc': {{'anchorlink': True}},
                        'not_an_installed_extension': {{}},
                    }},
                }}
            """,
            "publishconf.py": "from pelicanconf import *\nSITEURL = 'https://example.org'\n",
            "content/2026-01-05_hello.md": "Title: Hello\nDate: 2026-01-05\n\nBody.\n",
            "content/pages/about.md": "Title: About\n\nA page.\n",
            "content/images/x.md": "Title: Not an article\n",
        },
    )
    assert not marker.exists()
    site, build = toml["site"], toml["build"]
    assert (site["title"], site["author"], site["url"]) == ("Ann's notes", "Ann", "https://example.org/")
    assert (site["timezone"], site["language"]) == ("Europe/Prague", "cs")
    assert build["articles"] == "../site/content"
    assert (build["permalink"], build["slug_from"]) == ("/blog/{year}/{slug}/", "file")
    assert build["exclude"] == ["images/", "pages/"]
    assert build["markdown"] == "pelican"
    assert build["markdown_extensions"] == {"markdown.extensions.toc": {"anchorlink": True}}
    assert "'not_an_installed_extension', which is not installed" in text
    assert "SITESUBTITLE is computed" in text and "description" not in site


def test_pelican_default_article_url_and_unknown_values(tmp_path: Path) -> None:
    text, toml = init_from(
        tmp_path,
        {
            "pelicanconf.py": "SITENAME = f'{1}'\nSITEURL = 'https://example.org'\n"
            "ARTICLE_URL = '{category}/{slug}.html'\n",
            "content/a.md": "Title: A\nDate: 2026-01-05\n\nBody.\n",
        },
        loads=False,
    )
    assert toml["build"]["permalink"] == "/{slug}.html"
    assert 'Pelican\'s "{category}"' in text
    assert "SITENAME is computed" in text and "title" not in toml["site"]


# --- Eleventy ------------------------------------------------------------------------------------


def test_eleventy_site(tmp_path: Path) -> None:
    text, toml = init_from(
        tmp_path,
        {
            "eleventy.config.js": "export default function (c) { c.setLibrary('md', x); }\n",
            "package.json": '{"name": "blog", "description": "From package.json", "author": "Pat"}',
            "_data/metadata.json": '{"url": "https://example.org", "title": "Eleventy Notes", "language": "en-US"}',
            "posts/2026-01-05-hello.md": POST.format(title="Hello", date="2026-01-05"),
            "posts/2026-01-06-more.md": POST.format(title="More", date="2026-01-06"),
            "posts/index.md": "---\ntitle: All posts\n---\nThe list.\n",
            "about.md": "---\ntitle: About\n---\n",
        },
    )
    site, build = toml["site"], toml["build"]
    assert (site["url"], site["title"], site["language"]) == ("https://example.org/", "Eleventy Notes", "en-US")
    assert (site["description"], site["author"], site["timezone"]) == ("From package.json", "Pat", "UTC")
    assert (build["articles"], build["permalink"], build["markdown"]) == ("../site/posts", "/posts/{path}/", "eleventy")
    assert build["exclude"] == ["index.md"]
    assert "a permalink set in JavaScript" in text and "changes the markdown-it library" in text


def test_eleventy_directory_data_permalink(tmp_path: Path) -> None:
    _, toml = init_from(
        tmp_path,
        {
            ".eleventy.js": "module.exports = {}\n",
            "_data/site.json": '{"url": "https://example.org/", "title": "T"}',
            "src/blog/2026-01-05-hello.md": POST.format(title="Hello", date="2026-01-05"),
            "src/blog/blog.json": '{"permalink": "/{{ page.date | date: \'%Y\' }}/{{ page.fileSlug }}/"}',
        },
    )
    assert toml["build"]["articles"] == "../site/src/blog"
    assert toml["build"]["permalink"] == "/{year}/{name}/"


# --- the written file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["plain", 'quo"te \\ back', "line\nbreak\ttab\x01\x7f", "ümlaut 🎉", 3, True, ["a", "b"]]
)
def test_toml_values_read_back(value: object) -> None:
    assert tomllib.loads(f"key = {toml_value(value)}")["key"] == value


def test_toml_inline_tables_read_back() -> None:
    table = {"markdown.extensions.toc": {"anchorlink": True}, "plain": {}}
    assert tomllib.loads(f"key = {toml_value(table)}")["key"] == table


def test_a_new_project_shows_every_key_and_loads(tmp_path: Path) -> None:
    files = new_project(Answers("Notes", "https://example.org/", "Ann", "Asia/Tokyo"), datetime(2026, 3, 1, tzinfo=UTC))
    text = files["feedpub.toml"]
    for table, key, _, _ in config_keys():
        assert f"\n{key} = " in text or f"\n# {key} = " in text, f"[{table}] {key} is not in the file"
    (tmp_path / "feedpub.toml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path / "feedpub.toml")
    assert (config.title, config.author, config.timezone.key) == ("Notes", "Ann", "Asia/Tokyo")
    assert "date: 2026-03-01 09:00" in files["articles/welcome.md"]  # the moment, in the site's zone
    assert "/.feedpub-cache/" in files[".gitignore"] and "/feeds/" in files[".gitignore"]


# --- the command ---------------------------------------------------------------------------------


def test_init_without_a_terminal_takes_options_and_builds_valid_feeds(tmp_path: Path, invoke: Invoke) -> None:
    flags = ("--title", "Notes", "--url", "https://example.org", "--author", "Ann", "--timezone", "Europe/Berlin")
    result = invoke("init", "project", *flags, cwd=tmp_path)
    assert "wrote project/feedpub.toml" in result.stdout
    project = tmp_path / "project"
    assert sorted(path.name for path in project.rglob("*")) == [".gitignore", "articles", "feedpub.toml", "welcome.md"]
    invoke("check", "--feeds", cwd=project)
    invoke("build", cwd=project)
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert (project / "feeds" / name).is_file()
    assert b"Welcome to Notes" in (project / "feeds" / "atom.xml").read_bytes()


def test_init_without_a_terminal_names_the_missing_options(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("init", "--author", "Ann", code=2, cwd=tmp_path)
    assert "pass --title and --url" in result.stderr
    assert not list(tmp_path.iterdir())
    result = invoke(
        "init", "--title", "T", "--url", "https://example.org", "--timezone", "Mars/Base", code=2, cwd=tmp_path
    )
    assert "is not an IANA time zone" in result.stderr
    for url in ("example.org", "https://[::1", "https://example.org:99999/"):
        result = invoke("init", "--title", "T", "--url", url, code=2, cwd=tmp_path)
        assert f'"{url}" is not the absolute http(s) URL of a site' in result.stderr
    assert not list(tmp_path.iterdir())


def test_init_never_overwrites(tmp_path: Path, invoke: Invoke) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "welcome.md").write_text("mine", encoding="utf-8")
    result = invoke("init", "--title", "T", "--url", "https://example.org", code=1, cwd=tmp_path)
    assert "articles/welcome.md: error: exists already; feedpub init never overwrites a file" in result.stderr
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["articles", "welcome.md"]
    assert (tmp_path / "articles" / "welcome.md").read_text(encoding="utf-8") == "mine"


def test_init_asks_on_a_terminal(tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    answers = "My Notes\nnot a url\nhttps://example.org/notes\nAnn\nNowhere/City\nAmerica/New_York\n"
    result = invoke("init", input=answers, cwd=tmp_path)
    assert "Site title" in result.stdout and "Time zone" in result.stdout
    assert "is not the absolute http(s) URL" in result.stdout and "is not an IANA time zone" in result.stdout
    config = load_config(tmp_path / "feedpub.toml")
    assert (config.title, config.url, config.author) == ("My Notes", "https://example.org/notes/", "Ann")
    assert config.timezone.key == "America/New_York"


def test_init_from_a_site(tmp_path: Path, invoke: Invoke) -> None:
    site = write(
        tmp_path / "blog",
        {
            "_config.yml": "title: Blog\nurl: https://example.org\npermalink: /:year/:title/\ntimezone: UTC\n",
            "_posts/2026-01-05-hello.md": POST.format(title="Hello", date="2026-01-05"),
        },
    )
    invoke("init", "--from", str(site), "feeds-project", cwd=tmp_path)
    project = tmp_path / "feeds-project"
    assert sorted(path.name for path in project.iterdir()) == ["feedpub.toml"]
    invoke("build", cwd=project)
    assert b"https://example.org/2026/hello/" in (project / "feeds" / "atom.xml").read_bytes()
    result = invoke("init", "--from", str(site), "feeds-project", code=1, cwd=tmp_path)
    assert "feedpub.toml: error: exists already" in result.stderr


def test_init_from_a_site_ignores_the_keys_its_posts_hold_for_its_own_pages(tmp_path: Path, invoke: Invoke) -> None:
    # A real Jekyll blog's posts each hold keys for its templates (`bitly:`); a build warned of each
    # in each post. A key in three posts or more is the site's; in fewer, it may be a typo.
    posts = {
        f"_posts/2026-01-0{day}-post-{day}.md": f"---\ntitle: Post {day}\nlayout: post\nBitly: b{day}\n"
        + ("hero-image: h\n" if day < 3 else "")
        + ("tittle: t\n" if day == 1 else "")
        + "---\nBody.\n"
        for day in range(1, 5)
    }
    site = write(
        tmp_path / "blog",
        {
            "_config.yml": "title: Blog\nurl: https://example.org\ntimezone: UTC\n",
            "about.md": "---\nx: 1\n---\n",
            "_posts/readme.md": "---\ntitle: How these posts are written\n---\nA page.\n",
            **posts,
        },
    )
    invoke("init", "--from", str(site), "feeds-project", cwd=tmp_path)
    project = tmp_path / "feeds-project"
    text = (project / "feedpub.toml").read_text(encoding="utf-8")
    # (the project's folder did not exist yet: its pages were not found, the build refused them)
    assert tomllib.loads(text)["build"]["exclude"] == ["readme.md"]
    assert tomllib.loads(text)["build"]["ignore_keys"] == ["bitly"]
    assert 'ignore_keys = ["bitly"]  # keys that 3 posts or more hold for the site\'s own pages' in text
    warnings = invoke("build", cwd=project).stderr
    assert "'Bitly'" not in warnings
    assert "'hero-image': unknown key" in warnings and "'tittle': unknown key; did you mean 'title'?" in warnings


def test_keys_feedpub_toml_cannot_hold_are_not_ignored(tmp_path: Path) -> None:
    post = '---\ntitle: P\n"": blank\n"a\\u0001b": control\nbitly: s\n---\nBody.\n'
    posts = {f"_posts/2026-01-0{day}-p.md": post for day in range(1, 4)}
    _, toml = init_from(tmp_path, {"_config.yml": "title: Blog\nurl: https://example.org\n", **posts})
    assert toml["build"]["ignore_keys"] == ["bitly"]  # and it loads (init_from loads it)


def test_init_from_a_site_without_a_url_asks_for_it(tmp_path: Path, invoke: Invoke) -> None:
    site = write(
        tmp_path / "blog", {".eleventy.js": "", "posts/2026-01-05-a.md": POST.format(title="A", date="2026-01-05")}
    )
    result = invoke("init", "--from", str(site), "out", code=2, cwd=tmp_path)
    assert "gives no title or url; pass --title and --url" in result.stderr
    invoke("init", "--from", str(site), "out", "--title", "A", "--url", "https://a.example/", cwd=tmp_path)
    assert load_config(tmp_path / "out" / "feedpub.toml").url == "https://a.example/"


def test_init_from_a_folder_that_is_no_site(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("init", "--from", str(tmp_path), code=1, cwd=tmp_path)
    assert "no site generator's configuration here" in result.stderr


def test_init_from_a_broken_config_names_its_line(tmp_path: Path, invoke: Invoke) -> None:
    site = write(tmp_path / "s", {"_config.yml": "title: [unclosed\nurl: x\n"})
    result = invoke("init", "--from", str(site), "out", code=1, cwd=tmp_path)
    assert "_config.yml:" in result.stderr and "not valid YAML" in result.stderr


def test_init_from_a_config_nested_too_deep(tmp_path: Path, invoke: Invoke) -> None:
    deep = "[" * 900 + "]" * 900
    site = write(tmp_path / "s", {"_config.yml": f"title: T\nurl: https://e.org/\nextra: {deep}\n"})
    result = invoke("init", "--from", str(site), "out", code=1, cwd=tmp_path)
    assert "_config.yml: error: nests lists or mappings hundreds of levels deep" in result.stderr
