"""feedpub.toml: defaults, overrides, and a clear error naming the key for every bad value."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SITE_CONFIG, Invoke, SiteDir, assert_valid_json_feed

from feedpub import ConfigError, build_feeds, load_config, load_site
from feedpub.config import _SCHEMA
from feedpub.model import as_uri


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feedpub.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_and_paths_relative_to_the_config_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[site]\ntitle = "T"\nurl = "https://example.org/blog"\n'))
    assert config.url == "https://example.org/blog/"
    assert config.feeds_url == "https://example.org/blog/feeds/"
    assert config.description == "T"
    assert config.language == "en"
    assert config.timezone.key == "UTC"
    assert config.articles == tmp_path.resolve() / "articles"
    assert config.output == tmp_path.resolve() / "feeds"
    assert config.limit == 20
    assert config.permalink == "/{year}/{month}/{slug}/"


def test_the_site_urls_are_uris_whatever_they_were_written_as(site: SiteDir) -> None:
    # An IDN host went into every link as written: the W3C validator refuses an IRI where RSS and Atom
    # need a URL, the JSON Feed schema refuses it as no URI.
    site.write_config(
        '[site]\ntitle = "Bücher"\nurl = "https://Bücher.example:8443/blög"\nicon = "/bilder/logo ß.png"\n'
        '[websub]\nhub = "https://hub.bücher.example/"\n'
    )
    config = load_config(site.config)
    assert config.url == "https://xn--bcher-kva.example:8443/bl%C3%B6g/"
    assert config.feeds_url == "https://xn--bcher-kva.example:8443/bl%C3%B6g/feeds/"
    assert config.icon == "https://xn--bcher-kva.example:8443/bilder/logo%20%C3%9F.png"
    assert config.hub == "https://hub.xn--bcher-kva.example/"
    assert config.host == "xn--bcher-kva.example"
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nText.\n")
    files = build_feeds(load_site(site.config))
    assert not [name for name, data in files.items() if "bücher.example".encode() in data.lower()]
    assert_valid_json_feed(files["feed.json"])  # the schema's uri format: home_page_url, feed_url, url


def test_as_uri_leaves_what_it_cannot_encode_as_written() -> None:
    assert as_uri("https://example.org/a b") == "https://example.org/a%20b"
    assert as_uri("https://example.org/%C3%A9") == "https://example.org/%C3%A9"  # escapes kept
    assert as_uri("https://ann@bücher.example/") == "https://ann@b%C3%BCcher.example/"  # no IDNA with a user
    assert as_uri("https://" + "ü" * 70 + ".example/").startswith("https://%C3%BC")  # a label too long for IDNA


def test_overrides_win(tmp_path: Path) -> None:
    path = write(tmp_path, SITE_CONFIG + "[build]\nlimit = 5\n")
    config = load_config(path, {"build.limit": 2, "site.url": "https://other.example", "build.output": "/srv/feeds"})
    assert (config.limit, config.url, config.output) == (2, "https://other.example/", Path("/srv/feeds"))


BAD = [
    pytest.param('[site]\ntitle = "T"\n', None, "[site] url is required", id="missing-url"),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "example.org"\n',
        3,
        '[site] url: "example.org" is not an absolute http(s) URL',
        id="relative-url",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "ftp://example.org/"\n', 3, "is not an absolute http(s) URL", id="ftp-url"
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\ntimezone = "Mars/Olympus"\n',
        4,
        '[site] timezone: "Mars/Olympus" is not an IANA time zone',
        id="bad-timezone",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\nlanguage = "English"\n',
        4,
        '[site] language: "English" is not a language tag',
        id="bad-language",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\ntitel = "x"\n',
        4,
        "unknown key [site] titel; the keys of [site] are title, url",
        id="unknown-key",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[builds]\n',
        4,
        "unknown table [builds]; the tables are [site], [build], [websub]",
        id="unknown-table",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[build]\nlimit = "20"\n',
        5,
        "[build] limit must be a whole number, not str '20'",
        id="limit-is-text",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[build]\nlimit = 0\n',
        5,
        "[build] limit: must be 1 or more, not 0",
        id="limit-zero",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[build]\nlimit = true\n',
        5,
        "[build] limit must be a whole number, not bool True",
        id="limit-is-bool",
    ),
    pytest.param(
        '[site]\ntitle = 5\nurl = "https://x.org/"\n',
        2,
        "[site] title must be a string (in quotes), not int 5",
        id="title-is-a-number",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[build]\npermalink = "/{year}/{title}/"\n',
        5,
        "uses {title}; a permalink can use {year}, {month}, {day}, {slug}, {name}, {path}, {dir}",
        id="permalink-unknown-field",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[build]\npermalink = "/{year}/"\n',
        5,
        "must contain {slug}, {name} or {path}",
        id="permalink-without-slug",
    ),
    pytest.param('[site]\ntitle = "T"\nurl = "https://x.org/\n', 3, "not valid TOML", id="toml-syntax"),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[build]\nignore_keys = ["seo", 3]\n',
        5,
        '[build] ignore_keys: must be a list of front-matter keys in quotes, e.g. ["seo_title", "series_order"]',
        id="ignore-keys-not-text",
    ),
]


BAD += [
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://[::1/"\n',
        3,
        '[site] url: "https://[::1/" is not a URL (Invalid IPv6 URL); write it like "https://example.org/"',
        id="url-unreadable",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://example.org:99999/"\n',
        3,
        '[site] url: "https://example.org:99999/" is not a URL (Port out of range 0-65535)',
        id="url-port-out-of-range",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\nicon = "https://[::1/icon.png"\n',
        4,
        '[site] icon: "https://[::1/icon.png" is not a URL (Invalid IPv6 URL); write it like "/images/icon.png"',
        id="icon-unreadable",
    ),
    pytest.param(
        '[site]\ntitle = "T\\u0000"\nurl = "https://x.org/"\n',
        2,
        "[site] title: holds a control character (U+0000), which feeds cannot carry; remove it",
        id="title-with-a-control-character",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[build]\narticles = "posts\\u0000"\n',
        5,
        "[build] articles: holds a control character (U+0000)",
        id="path-with-a-nul",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[build]\nsite_variables = { repo = "\\u0085" }\n',
        5,
        "[build] site_variables: holds a control character (U+0085)",
        id="site-variable-with-a-control-character",
    ),
    pytest.param(
        '[site]\ntitle = "T"\nurl = "https://x.org/"\n[websub]\nhub = "https://[hub/"\n',
        5,
        '[websub] hub: "https://[hub/" is not a URL (Invalid IPv6 URL)',
        id="hub-unreadable",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_bad_config_names_the_key(tmp_path: Path, text: str, line: int | None, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.problem.line == line
    assert message in caught.value.problem.message


def test_bad_config_through_the_cli(site: SiteDir, invoke: Invoke) -> None:
    site.write_config(SITE_CONFIG.replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlim"'))
    result = invoke("build", cwd=site.root, code=1)
    assert result.stderr == (
        'feedpub.toml:7: error: [site] timezone: "Europe/Berlim" is not an IANA time zone; '
        'write one like "Europe/Berlin" or "UTC"\n'
    )
    assert not site.feeds.exists()


def test_missing_config_through_the_cli(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("build", cwd=tmp_path, code=1)
    assert (
        "feedpub.toml: error: config file not found; create feedpub.toml (see the README) or pass --config"
        in result.stderr
    )


def test_config_option_and_command_line_overrides(site: SiteDir, invoke: Invoke, tmp_path: Path) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-05-01\n---\nx\n")
    site.article("b.md", "---\ntitle: B\ndate: 2026-05-02\n---\nx\n")
    other = tmp_path / "elsewhere"
    result = invoke(
        "build",
        "--config",
        str(site.config),
        "--output",
        str(other),
        "--limit",
        "1",
        "--url",
        "https://news.example/",
        cwd=tmp_path,
    )
    assert "(1 item each)" in result.stdout
    assert "<link>https://news.example/2026/05/b/</link>" in (other / "rss.xml").read_text()
    assert not site.feeds.exists()
    invoke("build", "--limit", "0", cwd=site.root, code=2)


def test_every_config_key_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table, keys in _SCHEMA.items():
        for key in keys:
            assert f"| `[{table}] {key}` |" in readme, f"the README's configuration table lacks [{table}] {key}"


def test_every_problem_of_a_config_is_reported_in_one_run_in_the_order_of_its_lines(
    site: SiteDir, invoke: Invoke
) -> None:
    site.write_config(
        '[site]\ntitle = "T"\nurl = "https://example.org/"\nlanguage = "x y"\nicon = "https://[::1"\n'
        '[websub]\nhub = "ftp://hub.example.org/"\n[build]\nlimit = 0\nnonsense = 1\n[extra]\n'
    )
    result = invoke("build", cwd=site.root, code=1)
    lines = result.stderr.splitlines()
    assert [line.split(": error: ")[0] for line in lines] == [f"feedpub.toml:{n}" for n in (4, 5, 7, 9, 10, 11)]
    assert "[build] nonsense" in lines[4] and "unknown table [extra]" in lines[5]
    assert not site.feeds.exists()


def test_a_blank_description_is_the_title(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[site]\ntitle = "Notes"\nurl = "https://x.org/"\ndescription = "  "\n'))
    assert config.description == "Notes"


def test_a_config_path_no_system_can_open_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="could not be read: embedded null byte"):
        load_config(tmp_path / "feed\0pub.toml")
