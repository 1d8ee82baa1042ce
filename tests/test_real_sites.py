"""What real blogs and news archives hold, one fixture site each (tests/fixtures/real-sites/<case>/).

The rule: if a site's own generator publishes an article, feedpub publishes it too; where the
input is truly broken, the message says where and what to change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TESTS, Invoke, SiteDir, parse_feed

from feedpub import load_site
from feedpub.errors import ContentError

CASES = TESTS / "fixtures" / "real-sites"


def copy_case(name: str, tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / name)
    shutil.copytree(CASES / name, site.root)
    return site


def urls_and_ids(site: SiteDir) -> dict[str, tuple[str, str]]:
    return {
        article.path.relative_to(site.articles).as_posix(): (article.url, article.id)
        for article in load_site(site.config).articles
    }


def test_every_case_has_a_test() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    assert [case.name for case in sorted(CASES.iterdir()) if f'"{case.name}"' not in source] == []


# 1. Slugs may repeat; ids and URLs may not ------------------------------------------------------


def test_repeated_slugs_across_years(tmp_path: Path, invoke: Invoke) -> None:
    site = copy_case("repeated-slugs-across-years", tmp_path)
    assert urls_and_ids(site) == {
        "2014/council-budget-vote.md": (
            "https://news.example.org/2014/12/council-budget-vote/",
            "tag:news.example.org,2014-12-09:council-budget-vote",
        ),
        "2019/council-budget-vote.md": (
            "https://news.example.org/2019/12/council-budget-vote/",
            "tag:news.example.org,2019-12-10:council-budget-vote",
        ),
    }
    invoke("build", cwd=site.root)
    assert len(parse_feed((site.feeds / "atom.xml").read_bytes()).entries) == 2


def test_weekly_newsletter_dated_names(tmp_path: Path) -> None:
    site = copy_case("weekly-newsletter-dated-names", tmp_path)
    assert sorted(url for url, _ in urls_and_ids(site).values()) == [
        "https://weekly.example.org/2026/01/05/this-week/",
        "https://weekly.example.org/2026/01/12/this-week/",
        "https://weekly.example.org/2026/01/19/this-week/",
    ]


def test_two_sections_same_slug(tmp_path: Path) -> None:
    """`{dir}` is the folder ("" at the top, its empty segment collapsed); it tells the ids apart too."""
    site = copy_case("two-sections-same-slug", tmp_path)
    assert urls_and_ids(site) == {
        "inside/welcome.md": (
            "https://blog.example.org/inside/2026/02/02/welcome.html",
            "tag:blog.example.org,2026-02-02:inside/welcome",
        ),
        "welcome.md": ("https://blog.example.org/2026/02/02/welcome.html", "tag:blog.example.org,2026-02-02:welcome"),
    }


# 2. URL patterns, and what to do when two URLs collide ----------------------------------------


def test_hugo_path_placeholder(tmp_path: Path) -> None:
    """`{path}`: the path under the articles folder, date prefix kept; a bundle's folder; slug replaces the name."""
    site = copy_case("hugo-path-placeholder", tmp_path)
    assert {name: url for name, (url, _) in urls_and_ids(site).items()} == {
        "first-post.md": "https://hugo.example.org/posts/first-post/",
        "2021/annual-report.md": "https://hugo.example.org/posts/2021/annual-report/",
        "2022/annual-report.md": "https://hugo.example.org/posts/2022/report/",
        "2023/a-bundle/index.md": "https://hugo.example.org/posts/2023/a-bundle/",
        "2024-03-01-dated-name.md": "https://hugo.example.org/posts/2024-03-01-dated-name/",
    }
    bundle = next(a for a in load_site(site.config).articles if a.title == "A page bundle")
    assert bundle.id == "tag:hugo.example.org,2023-06-01:2023/a-bundle"


def test_url_collision_differs_by_day(tmp_path: Path, invoke: Invoke) -> None:
    site = copy_case("url-collision-differs-by-day", tmp_path)
    result = invoke("check", cwd=site.root, code=1)
    assert result.stderr == (
        "articles/2026-01-12-this-week.md: error: has the same URL as articles/2026-01-05-this-week.md"
        " (https://weekly.example.org/2026/01/this-week/); give one of them another 'slug',"
        " or add {day} to [build] permalink (they differ by day)\n"
        "feedpub: 1 error; no feed was changed\n"
    )


def test_url_collision_differs_by_folder(tmp_path: Path, invoke: Invoke) -> None:
    site = copy_case("url-collision-differs-by-folder", tmp_path)
    result = invoke("check", cwd=site.root, code=1)
    assert "articles/welcome.md: error: has the same URL as articles/inside/welcome.md (" in result.stderr
    assert "or add {dir} to [build] permalink (they differ by dir)" in result.stderr
    assert "feedpub: 1 error;" in result.stderr  # their ids collide too: one pair, one message


# 6. Email autolinks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "tips"),
    [
        # CommonMark: an autolink shows what was written, `mailto:` included, as Hugo and Jekyll show it.
        ("auto", '<a href="mailto:tips@example.org">mailto:tips@example.org</a>'),
        # Python-Markdown scrambles the address into references; feedpub writes it plainly.
        ("python-markdown", '<a href="mailto:tips@example.org">tips@example.org</a>'),
    ],
)
def test_email_autolink(tmp_path: Path, invoke: Invoke, preset: str, tips: str) -> None:
    site = copy_case("email-autolink", tmp_path)
    site.write_config(site.config.read_text(encoding="utf-8") + f'[build]\nmarkdown = "{preset}"\n')
    invoke("build", cwd=site.root)
    [entry] = parse_feed((site.feeds / "atom.xml").read_bytes()).entries
    content = entry.content[0].value
    assert '<a href="mailto:press@example.org">press@example.org</a>' in content
    assert tips in content
    assert '<a href="mailto:jane_doe@example.org">jane_doe@example.org</a>' in content
    assert "&#" not in content


# 7. Every problem of every file in one run ------------------------------------------------------


def test_every_problem_in_one_run(tmp_path: Path, invoke: Invoke) -> None:
    site = copy_case("every-problem-in-one-run", tmp_path)
    result = invoke("check", cwd=site.root, code=1)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        "articles/about.md:4",  # the URL of about-us.md (front matter, fields and duplicates ...)
        "articles/broken-front-matter.md:3",
        "articles/garbled.md:7",  # ... and rendering, though other files failed earlier stages
        "articles/impossible-date.md:3",
    ]
    assert (
        "has the same URL as articles/about-us.md:4 (https://example.org/about/); give one of them another 'url'"
        in (errors[0])
    )
    assert result.stderr.endswith("feedpub: 4 errors; no feed was changed\n")
    # Fixing what the first run named leaves nothing new to find.
    for name in ("about.md", "broken-front-matter.md", "garbled.md", "impossible-date.md"):
        (site.articles / name).unlink()
    assert invoke("check", cwd=site.root).stderr == "2 articles, no errors, 0 warnings\n"


# 8. Odd files: links that point nowhere, the last day of year 9999 -------------------------------


def test_dangling_symbolic_link_is_an_error(site: SiteDir, invoke: Invoke) -> None:
    site.article("kept.md", "---\ntitle: Kept\ndate: 2026-01-01\n---\nText.\n")
    (site.articles / "moved-away.md").symlink_to(site.articles / "gone" / "post.md")
    (site.articles / ".#kept.md").symlink_to("root@host.1234:1700000000")  # Emacs's lock link: ignored
    result = invoke("build", cwd=site.root, code=1)
    assert result.stderr == (
        f"articles/moved-away.md: error: is a symbolic link to {site.articles / 'gone' / 'post.md'}, which does"
        " not exist; restore the file or remove the link\n"
        "feedpub: 1 error; no feed was changed\n"
    )


def test_symbolic_link_loop_is_an_error(site: SiteDir, invoke: Invoke) -> None:
    (site.articles / "a.md").symlink_to("b.md")
    (site.articles / "b.md").symlink_to("a.md")
    (site.articles / "loop").symlink_to(".")
    result = invoke("build", cwd=site.root, code=1)
    assert "Traceback" not in result.stderr
    assert "articles/a.md: error: is a symbolic link (b.md) that never reaches a file" in result.stderr
    assert "articles/b.md: error: is a symbolic link (a.md) that never reaches a file" in result.stderr
    assert "feedpub: 2 errors;" in result.stderr


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "UTC", "Pacific/Pago_Pago"])
def test_the_end_of_year_9999_is_a_clear_error(site: SiteDir, invoke: Invoke, zone: str) -> None:
    site.write_config(site.config.read_text(encoding="utf-8").replace("Europe/Berlin", zone))
    site.article("last.md", "---\ntitle: Last\ndate: 9999-12-31T23:00:00Z\n---\nText.\n")
    result = invoke("build", "--future", cwd=site.root, code=1)
    assert "articles/last.md:3: error: 'date' could not be read: \"9999-12-31T23:00:00+00:00\" is too close" in (
        result.stderr
    )


# 9. Every file named the same way, at the line of the key --------------------------------------


def test_same_id_named_alike(tmp_path: Path, invoke: Invoke) -> None:
    site = copy_case("same-id-named-alike", tmp_path)
    result = invoke("check", cwd=site.root, code=1)
    assert result.stderr == (
        "articles/sub/two.md:5: error: has the same id as articles/one.md:4 (urn:example:1);"
        " give one of them another 'id'\n"
        "feedpub: 1 error; no feed was changed\n"
    )
    # The library keeps the paths and lines apart from the words.
    with pytest.raises(ContentError) as raised:
        load_site(site.config)
    [problem] = raised.value.problems
    assert (problem.path, problem.line, problem.others) == (
        site.articles / "sub/two.md",
        5,
        ((site.articles / "one.md", 4),),
    )


# Slugs, names and files as each generator reads them ---------------------------------------------


def test_pelican_slug_from_title(tmp_path: Path) -> None:
    """Pelican's SLUGIFY_SOURCE is the title: header files get their slug from it ([build] slug_from = "auto")."""
    site = copy_case("pelican-slug-from-title", tmp_path)
    assert {name: url for name, (url, _) in urls_and_ids(site).items()} == {
        "2015-05-15-this-week-in-rust.md": "https://weekly.example.org/blog/2015/05/15/rust-10-its-here-ca-marche/",
        "2015-05-22-this-week-in-rust.md": "https://weekly.example.org/blog/2015/05/22/twir-83/",
        "yaml-post.md": "https://weekly.example.org/blog/2015/05/29/yaml-post/",
    }
    site.write_config(site.config.read_text(encoding="utf-8") + 'slug_from = "file"\n')
    assert urls_and_ids(site)["2015-05-15-this-week-in-rust.md"][0].endswith("/2015/05/15/this-week-in-rust/")


def test_pelican_underscore_date_names(tmp_path: Path) -> None:
    site = copy_case("pelican-underscore-date-names", tmp_path)
    [article] = load_site(site.config).articles
    assert (article.url, article.date.isoformat()) == (
        "https://blog.example.org/blog/courting-haskell/",
        "2020-01-14T00:00:00+01:00",
    )


def test_eleventy_case_kept(tmp_path: Path) -> None:
    """`{name}` is the file name as written (Jekyll's :title, Eleventy's fileSlug); `{slug}` is lower case."""
    site = copy_case("eleventy-case-kept", tmp_path)
    [(url, article_id)] = urls_and_ids(site).values()
    assert url == "https://gov.example.org/2015/02/25/We-Are-Hiring/"
    assert article_id == "tag:gov.example.org,2015-02-25:we-are-hiring"


def test_html_posts_with_front_matter(tmp_path: Path, invoke: Invoke) -> None:
    site = copy_case("html-posts-with-front-matter", tmp_path)
    result = invoke("build", "-v", cwd=site.root)
    assert "articles/snippet.html: note: an HTML file without front matter, not an article; skipped" in result.stderr
    entries = {e.title: e for e in parse_feed((site.feeds / "atom.xml").read_bytes()).entries}
    html = entries["GWT RequestFactory, how does it work?"]
    assert html.link == "https://old.example.org/gwt-requestfactory/"
    assert 'Written in <b>HTML</b>, with <a href="https://old.example.org/gwt/">a relative link</a>' in (
        html.content[0].value
    )
    assert html.summary.startswith("<p>Written in <b>HTML</b>")
    assert entries["A Markdown neighbour"].content[0].value == "<p>Text.</p>"


def test_hugo_leaf_section_bundles(tmp_path: Path, invoke: Invoke) -> None:
    """A dated `_index.md` with no pages below it is a post, as Hugo publishes it; other sections are not."""
    site = copy_case("hugo-leaf-section-bundles", tmp_path)
    assert urls_and_ids(site) == {
        "kubernetes/crossplane-intro/_index.md": (
            "https://devops.example.org/kubernetes/crossplane-intro/",
            "tag:devops.example.org,2024-05-06:kubernetes/crossplane-intro",
        )
    }
    result = invoke("check", "-v", cwd=site.root)
    assert "articles/_index.md: note: a Hugo section page, not an article; skipped" in result.stderr
    assert "articles/kubernetes/_index.md: note: a Hugo section page, not an article; skipped" in result.stderr
    assert "articles/about/_index.md: note: a Hugo section page without a date, not an article; skipped" in (
        result.stderr
    )


def test_restructuredtext_warned(tmp_path: Path, invoke: Invoke) -> None:
    site = copy_case("restructuredtext-warned", tmp_path)
    result = invoke("build", cwd=site.root)
    assert result.stderr == (
        "articles/state-of-rust.rst: warning: is reStructuredText, which feedpub does not read, so it is not in the"
        " feeds; convert it to Markdown (pandoc -f rst -t markdown) or list it in [build] exclude\n"
    )


def test_jekyll_posts(tmp_path: Path, invoke: Invoke) -> None:
    """Dates, keys and files in a `_posts` folder as Jekyll reads them."""
    site = copy_case("jekyll-posts", tmp_path)
    result = invoke("check", "-v", cwd=site.root)
    assert "articles/_posts/2020/2020-05-20-twice.md:4: warning: 'title' appears twice (first on line 2);" in (
        result.stderr
    )
    assert "articles/_posts/2020/ideas.md: note: in a Jekyll _posts folder, a file with no date" in result.stderr
    articles = {a.path.name: a for a in load_site(site.config).articles}
    assert {name: a.date.isoformat() for name, a in articles.items()} == {
        "2003-04-11-asp-net-tips.md": "2003-04-11T17:19:00+00:00",  # an unquoted YAML timestamp: UTC
        "2003-04-12-quoted.md": "2003-04-12T17:19:00-04:00",
        "2003-04-13-minutes.md": "2003-04-13T17:19:00-04:00",
        "2003-04-14-day.md": "2003-04-14T00:00:00-04:00",
        "2020-05-19-hours-offset.md": "2020-05-19T13:30:00-04:00",
        "2020-05-20-twice.md": "2020-05-20T00:00:00-04:00",
        "2016-1-5-one-digit.md": "2016-01-05T00:00:00-05:00",  # Jekyll's date prefix takes one digit too
    }
    assert articles["2016-1-5-one-digit.md"].url == "https://blog.example.org/blog/2016/01/05/one-digit"
    assert articles["2020-05-20-twice.md"].title == "Second title"
    assert articles["2003-04-11-asp-net-tips.md"].url == "https://blog.example.org/blog/2003/04/11/asp-net-tips"


def test_pelican_intra_site_links(tmp_path: Path, invoke: Invoke) -> None:
    site = copy_case("pelican-intra-site-links", tmp_path)
    result = invoke("build", cwd=site.root)
    assert result.stderr == (
        "articles/second.md:6: warning: the link {filename}gone.md names no file of the site; it is kept as written\n"
    )
    entries = {e.title: e for e in parse_feed((site.feeds / "atom.xml").read_bytes()).entries}
    content = entries["Second"].content[0].value
    first = "https://blog.example.org/blog/first/"
    assert f'<a href="{first}#end">the first</a>' in content
    assert f'<a href="{first}">also</a>' in content
    assert f'<a href="{first}">the old form</a>' in content
    assert '<img alt="chart" src="https://blog.example.org/images/chart.png"' in content
    assert '<a href="https://blog.example.org/blog/second/data.csv">a file beside it</a>' in content
    assert '<a href="{filename}gone.md">a lost one</a>' in content


def test_hugo_lowercase_urls(tmp_path: Path) -> None:
    """Hugo writes content paths in lower case unless disablePathToLower; [build] lowercase_urls does the same."""
    site = copy_case("hugo-path-placeholder", tmp_path)
    site.article("Upper-Case.md", '+++\ntitle = "Upper"\ndate = 2020-02-02\n+++\nText.\n')
    assert urls_and_ids(site)["Upper-Case.md"][0] == "https://hugo.example.org/posts/Upper-Case/"
    site.write_config(site.config.read_text(encoding="utf-8") + "lowercase_urls = true\n")
    assert urls_and_ids(site)["Upper-Case.md"][0] == "https://hugo.example.org/posts/upper-case/"


def test_pelican_markdown_extensions(tmp_path: Path, invoke: Invoke) -> None:
    """A site's MARKDOWN extension_configs ([build] markdown_extensions) are added to the pelican preset."""
    site = copy_case("pelican-slug-from-title", tmp_path)
    site.article("toc.md", "Title: With a table of contents\nDate: 2015-06-01\n\n## A section\n\nText.\n")
    site.write_config(
        site.config.read_text(encoding="utf-8")
        + 'markdown_extensions = { "markdown.extensions.toc" = { anchorlink = true } }\n'
    )
    invoke("build", cwd=site.root)
    entries = {e.title: e for e in parse_feed((site.feeds / "atom.xml").read_bytes()).entries}
    content = entries["With a table of contents"].content[0].value
    assert 'href="https://weekly.example.org/blog/2015/06/01/with-a-table-of-contents/#a-section"' in content
    site.write_config(site.config.read_text(encoding="utf-8").replace('"markdown.extensions.toc"', '"no.such"'))
    result = invoke("build", cwd=site.root, code=1)
    assert result.stderr.startswith("feedpub.toml: error: [build] markdown_extensions: a Python-Markdown extension")


def test_template_tags(tmp_path: Path, invoke: Invoke) -> None:
    """Liquid in Jekyll posts and Hugo shortcodes are rendered as their generators do; other tags warn once."""
    site = copy_case("template-tags", tmp_path)
    result = invoke("build", cwd=site.root)
    assert result.stderr.splitlines() == [
        "articles/_posts/2024-02-01-liquid.md:5: warning: {% link _docs/plain.md %}"
        + result.stderr.split("{% link _docs/plain.md %}", 1)[1].split("\n", 1)[0],
        "articles/_posts/2024-02-01-liquid.md:11: warning: the Liquid tag {% include %} is kept as written"
        + result.stderr.split("{% include %} is kept as written", 1)[1].split("\n", 1)[0],
        "articles/hugo/index.md:11: warning: the Hugo shortcode {{< notice >}} is kept as written"
        + result.stderr.split("{{< notice >}} is kept as written", 1)[1].split("\n", 1)[0],
    ]
    entries = {e.title: e.content[0].value for e in parse_feed((site.feeds / "atom.xml").read_bytes()).entries}
    first = "https://example.org/blog/2024/01/01/first/"
    liquid = entries["Liquid"]
    assert "Home is https://example.org/blog/ and" in liquid
    assert f'<a href="{first}">the first</a>' in liquid
    assert '<a href="https://github.com/example/blog/issues/1">#1</a>' in liquid  # [build] site_variables
    # {% link %} to a page of the Jekyll source (the folder with _config.yml) by its permalink
    assert '<a href="https://example.org/blog/docs/history/#v1">the history</a>' in liquid
    assert '<pre><code class="language-python">print("hi")' in liquid
    assert "{% include note.html %} and {% gallery %} and <code>{% include shown.html %}</code>" in liquid
    hugo = entries["Shortcodes"]
    assert f'<a href="{first}">the first</a>' in hugo
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in hugo
    assert '<img alt="The map" src="https://example.org/blog/2024/03/01/hugo/map.png"' in hugo
    assert "<figcaption>" in hugo and "The map" in hugo
    assert "{{&lt; notice warning &gt;}}" in hugo or "{{< notice warning >}}" in hugo


def test_eleventy_yaml_indented_with_a_tab(site: SiteDir, invoke: Invoke) -> None:
    """Eleventy's YAML reader takes a tab before `- post`; feedpub reads it as spaces, with a warning."""
    site.article(
        "tabs.md", "---\ntitle: Tabbed tags\ndate: 2013-07-16 01:51:46\ntags:\n\t- post\n\t- aws\n---\nText.\n"
    )
    site.article("broken.md", "---\ntitle: [still\n\tbroken\n---\nText.\n")
    result = invoke("check", cwd=site.root, code=1)
    assert "articles/tabs.md:5: warning: a tab indents this line, which YAML forbids; it was read as two spaces" in (
        result.stderr
    )
    assert "articles/broken.md:" in result.stderr and "not valid YAML" in result.stderr
    (site.articles / "broken.md").unlink()
    [article] = load_site(site.config).articles
    assert article.tags == ("post", "aws")
