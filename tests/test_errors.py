"""Bad input: a clear `path:line: message` for every problem in one run, exit 1, no feed changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SITE_CONFIG, TESTS, Invoke, SiteDir, parse_feed

from feedpub.errors import Problem, folded

INVALID = TESTS / "articles" / "invalid"

# file in tests/articles/invalid/ -> (line, what the message must say)
CASES: dict[str, tuple[int | None, str]] = {
    "no-title.md": (1, "'title' is missing; add a line 'title: ...' to the front matter"),
    "blank-title.md": (2, "'title' is empty; give it some text"),
    "title-is-a-list.md": (2, "'title' must be text, not a list"),
    "no-date.md": (1, "'date' is missing; add a line 'date: YYYY-MM-DD'"),
    "unparsable-date.md": (
        4,
        "'date' could not be read: \"next tuesday\" is not a date feedpub reads; write YYYY-MM-DD",
    ),
    "impossible-date.md": (
        3,
        "'date' could not be read: \"2026-02-30\" is not a real date or time (day is out of range",
    ),
    "impossible-time.md": (3, "'date' could not be read: \"2026-02-03 25:10\" is not a real date or time"),
    "ambiguous-date.md": (
        3,
        "'date' could not be read: \"03/04/2026\" could mean two different days (day/month or month/day?); "
        "write YYYY-MM-DD",
    ),
    "malformed-yaml.md": (5, "the front matter is not valid YAML"),
    "malformed-yaml-indent.md": (3, "the front matter is not valid YAML: mapping values are not allowed"),
    "unclosed-front-matter.md": (1, "the front matter opened on line 1 is never closed: add a line '---'"),
    "no-front-matter.md": (1, "no front matter: start the file with a line '---'"),
    "python-tag.md": (
        4,
        "the front matter is not valid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply",
    ),
    "id-not-a-uri.md": (4, "'id' 'post 42' is not a URI; feeds need one, e.g. 'tag:example.org,2026:post 42'"),
    "slug-escapes.md": (4, "'slug' '../../etc/passwd' cannot be part of a URL"),
    "draft-not-a-flag.md": (4, "'draft' must be true or false, not 'maybe'"),
    "front-matter-is-a-list.md": (2, "the front matter must be 'key: value' lines"),
    "empty.md": (1, "is empty; give it front matter with a title and a date, or delete it"),
    "blank-file.md": (1, "is empty; give it front matter"),
    "binary-nul-bytes.md": (4, "holds NUL bytes: it is a binary file or not UTF-8 (UTF-16?); save it as UTF-8 text"),
    "latin1-not-utf8.md": (2, "is not UTF-8 text (byte 0xe9); save it as UTF-8"),
    "title-is-a-mapping.md": (2, "'title' must be text, not a mapping"),
    "toml-syntax-error.md": (4, "the front matter is not valid TOML: Invalid value"),
    "json-syntax-error.md": (4, "the JSON front matter is not valid JSON: Expecting value"),
    "yaml-alias-bomb.md": (7, "the front matter expands to more than 10,000 values through YAML aliases"),
    "summary-is-a-list.md": (4, "'summary' must be text, not a list"),
    "slug-absolute.md": (4, "'slug' '/etc/passwd' cannot be part of a URL"),
    "slug-dot-dot.md": (4, "'slug' '..' cannot be part of a URL"),
    "slug-nul.md": (4, "'slug' 'a\\x00b' holds control characters"),
    "lone-surrogate-json.md": (2, "'title' holds a lone surrogate (\\ud800), half of a character"),
    "lone-surrogate-yaml.md": (2, "the front matter is not valid YAML"),
    "unclosed-toml.md": (1, "the front matter opened on line 1 is never closed: add a line '+++'"),
    "status-unknown.md": (4, "'status' 'maybe' is not a status; write draft, hidden or published"),
    "2026-02-30-impossible-file-name-date.md": (None, "the date 2026-02-30 in the file name is not a real date"),
    "tags-is-a-mapping.md": (4, "'tags' must be a list of words"),
    "author-without-name.md": (4, "'author' must be a name, a list of names, or entries with 'name'"),
    "author-email-not-an-address.md": (
        4,
        "'author' has an e-mail address that is not one: 'ann at example dot org'; write it like ann@example.org",
    ),
    "author-url-not-absolute.md": (4, "'authors' has a URL that is not an absolute http(s) URL: '/about/ann'"),
    "author-url-unreadable.md": (
        4,
        "'authors' has a URL that is not an absolute http(s) URL: 'https://[ann.example.org/'",
    ),
    "url-unreadable.md": (4, "'url' 'https://[::1/post/' is not a URL or a path; write it like '/notes/my-post/'"),
    "image-unreadable.md": (4, "'image' 'https://[::1/photo.jpg' is not a URL (Invalid IPv6 URL); write it like"),
    "enclosure-port-out-of-range.md": (
        4,
        "'enclosures' has a URL that is not one: 'https://media.example.org:99999/episode.mp3' (Port out of range",
    ),
    "key-points-not-a-list.md": (4, "'key_points' must be a list of sentences"),
    "lang-not-a-tag.md": (4, "'lang' 'not a tag' is not a language tag"),
}


def test_every_invalid_fixture_has_a_case() -> None:
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(CASES)


@pytest.fixture
def built(site: SiteDir, invoke: Invoke) -> SiteDir:
    """A site with one good article, built once: its feeds must survive every failed build."""
    site.article("good.md", "---\ntitle: Good\ndate: 2026-05-01\n---\nFine.\n")
    invoke("build", cwd=site.root)
    return site


def feeds_of(site: SiteDir) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.feeds.iterdir()}


@pytest.mark.parametrize(("name", "line", "message"), [pytest.param(n, *c, id=n[:-3]) for n, c in CASES.items()])
def test_broken_article_is_reported_with_line_and_nothing_changes(
    built: SiteDir, invoke: Invoke, name: str, line: int, message: str
) -> None:
    before = feeds_of(built)
    shutil.copy(INVALID / name, built.articles / name)
    result = invoke("build", cwd=built.root, code=1)
    where = f"articles/{name}:{line}" if line is not None else f"articles/{name}"
    assert f"{where}: error: {message}" in result.stderr
    assert result.stderr.rstrip().endswith("; no feed was changed")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert feeds_of(built) == before


def test_every_broken_article_is_reported_in_one_run(built: SiteDir, invoke: Invoke) -> None:
    before = feeds_of(built)
    for name in CASES:
        shutil.copy(INVALID / name, built.articles / name)
    result = invoke("build", cwd=built.root, code=1)
    for name, (line, _) in CASES.items():
        assert (f"articles/{name}:{line}: " if line else f"articles/{name}: ") in result.stderr
    assert f"feedpub: {len(CASES)} errors; no feed was changed" in result.stderr
    assert feeds_of(built) == before


def test_one_article_with_several_problems_reports_them_all(site: SiteDir, invoke: Invoke) -> None:
    site.article("x.md", "---\ntitle: [a]\ndate: 2026-13-01\ndraft: perhaps\n---\n")
    result = invoke("build", cwd=site.root, code=1)
    assert "articles/x.md:2: error: 'title' must be text" in result.stderr
    assert "articles/x.md:3: error: 'date' could not be read" in result.stderr
    assert "articles/x.md:4: error: 'draft' must be true or false" in result.stderr


def test_non_utf8_article(built: SiteDir, invoke: Invoke) -> None:
    (built.articles / "latin1.md").write_bytes("---\ntitle: Café\ndate: 2026-05-01\n---\n".encode("latin-1"))
    result = invoke("build", cwd=built.root, code=1)
    assert "articles/latin1.md:2: error: is not UTF-8 text (byte 0xe9); save it as UTF-8" in result.stderr


def test_unreadable_article(built: SiteDir, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = built.article("locked.md", "---\ntitle: L\ndate: 2026-05-01\n---\n")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = invoke("build", cwd=built.root, code=1)
    assert "articles/locked.md: error: could not be read: Permission denied; check its permissions" in result.stderr


def test_two_articles_with_the_same_id_name_both_files(built: SiteDir, invoke: Invoke) -> None:
    before = feeds_of(built)
    built.article("one.md", "---\ntitle: One\ndate: 2026-05-01\nid: urn:x:1\n---\n")
    built.article("two.md", "---\ntitle: Two\ndate: 2026-05-02\nid: urn:x:1\n---\n")
    result = invoke("build", cwd=built.root, code=1)
    assert (
        "articles/two.md:4: error: has the same id as articles/one.md:4 (urn:x:1); give one of them another 'id'"
    ) in result.stderr
    assert feeds_of(built) == before


def test_two_articles_with_the_same_slug_on_other_days_are_both_published(built: SiteDir, invoke: Invoke) -> None:
    built.article("a/post.md", "---\ntitle: One\ndate: 2026-05-01\n---\nOne.\n")
    built.article("b/post.md", "---\ntitle: Two\ndate: 2026-06-03\n---\nTwo.\n")
    invoke("build", cwd=built.root)
    links = {entry.link for entry in parse_feed((built.feeds / "atom.xml").read_bytes()).entries}
    assert {"https://example.org/2026/05/post/", "https://example.org/2026/06/post/"} <= links


def test_two_articles_with_the_same_url_name_both_files(built: SiteDir, invoke: Invoke) -> None:
    built.article("one.md", "---\ntitle: One\ndate: 2026-05-01\nurl: /about/\n---\n")
    built.article("two.md", "---\ntitle: Two\ndate: 2026-05-03\npermalink: https://example.org/about/\n---\n")
    result = invoke("build", cwd=built.root, code=1)
    assert (
        "articles/two.md:4: error: has the same URL as articles/one.md:4 (https://example.org/about/);"
        " give one of them another 'url'"
    ) in result.stderr


def test_warnings_do_not_stop_the_build(site: SiteDir, invoke: Invoke) -> None:
    site.article("w.md", "---\ntitle: W\ndate: 2026-05-02\ntittle: typo\nupdated: 2026-05-01\n---\nx\x01y\n")
    result = invoke("build", cwd=site.root)
    assert "articles/w.md:4: warning: 'tittle': unknown key; did you mean 'title'?" in result.stderr
    assert "articles/w.md:5: warning: 'updated': is earlier than the date; the feed uses the date" in result.stderr
    assert "articles/w.md:7: warning: the body holds control characters XML forbids (U+0001); they were removed" in (
        result.stderr
    )
    assert "xy" in (site.feeds / "atom.xml").read_text()
    quiet = invoke("build", "-q", cwd=site.root)
    assert quiet.stdout == quiet.stderr == ""


@pytest.mark.parametrize("command", ["build", "check"])
def test_warnings_are_reported_beside_errors_in_the_same_run(site: SiteDir, invoke: Invoke, command: str) -> None:
    site.article("typo.md", "---\ntitle: T\ndate: 2026-05-02\ntittle: typo\n---\nBody.\n")
    site.article("bad.md", "---\ntitle: B\ndate: 2026-02-30\n---\nBody.\n")
    site.article("_index.md", "---\ntitle: Section\n---\n")
    result = invoke(command, cwd=site.root, code=1)
    assert result.stderr.splitlines() == [
        "articles/typo.md:4: warning: 'tittle': unknown key; did you mean 'title'?",
        "articles/bad.md:3: error: 'date' could not be read: \"2026-02-30\" is not a real date or time"
        " (day is out of range for month)",
        "feedpub: 1 error; no feed was changed",
    ]
    assert "articles/_index.md: note:" in invoke(command, "-v", cwd=site.root, code=1).stderr
    assert invoke(command, "-q", cwd=site.root, code=1).stderr.splitlines()[0].startswith("articles/bad.md:3: error:")


def test_warnings_are_reported_beside_errors_found_while_rendering(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + '[build]\nmarkdown = "python-markdown"\n')
    site.article("typo.md", "---\ntitle: T\ndate: 2026-05-02\ntittle: typo\n---\nBody.\n")
    site.article("deep.md", "---\ntitle: D\ndate: 2026-05-01\n---\n" + ">" * 1000 + " deep\n")
    result = invoke("build", cwd=site.root, code=1)
    assert "articles/typo.md:4: warning: 'tittle'" in result.stderr
    assert "articles/deep.md:5: error: the body nests" in result.stderr


def test_keys_the_site_uses_on_purpose_can_be_ignored_without_a_warning(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG + '[build]\nignore_keys = ["seo_title", "Series-Order"]\n')
    front = "---\ntitle: T\ndate: 2026-05-02\nSEO-Title: x\nseries_order: 2\npillar: y\n---\nBody.\n"
    site.article("a.md", front)
    result = invoke("check", cwd=site.root)
    assert result.stderr.splitlines() == [
        "articles/a.md:6: warning: 'pillar': unknown key; it is left out of the feed"
        " (add it to [build] ignore_keys if the site uses it on purpose)",
        "1 article, no errors, 1 warning",
    ]


def test_a_warning_many_files_give_alike_is_printed_once_with_their_number(site: SiteDir, invoke: Invoke) -> None:
    # A site's own key in every post (Jekyll's `bitly:`) gave one line per post: thousands on a real
    # site, hiding the one warning that mattered.
    for day in range(1, 6):
        site.article(f"p{day}.md", f"---\ntitle: P{day}\ndate: 2026-05-0{day}\nbitly: https://bit.ly/{day}\n---\nx\n")
    site.article("p6.md", "---\ntitle: P6\ndate: 2026-05-06\ntittle: typo\n---\nx\n")
    bitly = (
        "warning: 'bitly': unknown key; it is left out of the feed"
        " (add it to [build] ignore_keys if the site uses it on purpose)"
    )
    expected = [
        f"articles/p1.md:4: {bitly} (also in 4 other files; -v lists them)",
        "articles/p6.md:4: warning: 'tittle': unknown key; did you mean 'title'?",
    ]
    assert invoke("build", cwd=site.root).stderr.splitlines() == expected
    assert invoke("check", cwd=site.root).stderr.splitlines() == [*expected, "6 articles, no errors, 6 warnings"]
    verbose = invoke("build", "-v", cwd=site.root).stderr
    assert [line for line in verbose.splitlines() if "bitly" in line] == [
        f"articles/p{day}.md:4: {bitly}" for day in range(1, 6)
    ]
    site.write_config(SITE_CONFIG + '[build]\nignore_keys = ["bitly"]\n')
    assert invoke("build", cwd=site.root).stderr.splitlines() == expected[1:]


def test_an_unknown_key_of_any_length_is_named_once_per_file(site: SiteDir, invoke: Invoke) -> None:
    # Keys up to 100 characters have their warning remembered (170 µs of difflib each); longer ones not.
    long_key = "k" * 150
    for name in ("a", "b"):
        site.article(f"{name}.md", f"---\ntitle: {name}\ndate: 2026-05-02\n{long_key}: 1\ntitel: 2\n---\nx\n")
    lines = invoke("check", cwd=site.root).stderr.splitlines()
    assert sum(f"'{long_key}': unknown key; it is left out of the feed" in line for line in lines) == 2
    assert sum("'titel': unknown key; did you mean 'title'?" in line for line in lines) == 2


def test_an_article_without_any_text_is_a_warning(site: SiteDir, invoke: Invoke) -> None:
    # Its Atom entry would have neither summary nor content, which the W3C validator warns about.
    site.article("bare.md", "---\ntitle: Bare\ndate: 2026-05-02\n---\n\n")
    site.article("summary-only.md", "---\ntitle: S\ndate: 2026-05-02\nsummary: Enough.\n---\n")
    result = invoke("build", cwd=site.root)
    assert result.stderr == (
        "articles/bare.md:5: warning: has no body and no summary, so its feed item would be a bare title;"
        " write some text\n"
    )


def test_folding_keeps_errors_places_and_order() -> None:
    def warned(name: str, message: str = "same", severity: str = "warning") -> Problem:
        return Problem(Path(name), 1, message, severity)  # type: ignore[arg-type]

    named = Problem(Path("d.md"), 2, "the same as {0}", "warning", ((Path("a.md"), 1),))
    problems = [
        warned("a.md"),
        warned("a.md", "error", "error"),
        warned("b.md"),
        named,
        warned("b.md", "three"),
        warned("c.md"),
        warned("c.md", "three"),
        warned("d.md", "error", "error"),
        warned("d.md"),
        warned("e.md", "three"),
        named,
    ]
    assert folded(problems) == [
        (problems[0], 3),  # in four files: once, at the first
        (problems[1], 0),  # errors: each one
        (problems[3], 0),  # one that names other places: each one
        (problems[4], 0),  # in three files: each one
        (problems[6], 0),
        (problems[7], 0),
        (problems[9], 0),
        (problems[3], 0),
    ]
    assert folded([warned("a.md"), warned("a.md"), warned("a.md"), warned("a.md")]) == [(warned("a.md"), 0)] * 4
