"""Shared fixtures: a small site on disk, a CLI runner that explains failures, feed parsing."""

from __future__ import annotations

import json
import textwrap
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
from click.testing import CliRunner, Result
from lxml import etree

from feedpub.cli import main
from feedpub.model import Article

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
ATOM_SCHEMA = TESTS / "schemas" / "atom.rng"

SITE_CONFIG = """\
[site]
title = "Test Site"
url = "https://example.org/"
description = "A site for tests."
language = "en"
author = "Test Author"
timezone = "Europe/Berlin"
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@dataclass
class SiteDir:
    """A site folder under tmp_path: feedpub.toml, articles/, and feeds/ once built."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "feedpub.toml"

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def feeds(self) -> Path:
        return self.root / "feeds"

    def article(self, name: str, text: str) -> Path:
        path = self.articles / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def write_config(self, text: str) -> None:
        self.config.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.articles.mkdir(parents=True)
    site.write_config(SITE_CONFIG)
    return site


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run the CLI in-process; `cwd` sets the working directory; asserts `code`, explaining failures."""

    def run(*args: str, code: int = 0, cwd: Path | None = None, input: str | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = CliRunner().invoke(main, list(args), prog_name="feedpub", input=input)
        if result.exit_code != code:
            trace = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
            pytest.fail(
                f"feedpub {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}--- traceback\n{trace}"
            )
        return result

    return run


def parse_feed(data: bytes) -> Any:
    """feedparser's reading of a feed; fails the test if feedparser had to recover from anything."""
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, f"feedparser: {parsed.get('bozo_exception')!r}"
    return parsed


_schema: etree.RelaxNG | None = None


def assert_valid_atom(data: bytes) -> None:
    """Validate Atom against RFC 4287's RELAX NG schema (tests/schemas/atom.rng)."""
    global _schema
    if _schema is None:
        _schema = etree.RelaxNG(etree.parse(str(ATOM_SCHEMA)))
    document = etree.fromstring(data)
    if not _schema.validate(document):
        errors = "\n".join(str(error) for error in _schema.error_log)
        pytest.fail(f"Atom feed does not match RFC 4287's schema:\n{errors}")


ARTICLE_URL = "https://example.org/2026/05/post/"


JSON_FEED_SCHEMA = TESTS / "schemas" / "jsonfeed-1.1.schema.json"


def assert_valid_json_feed(data: bytes) -> dict[str, Any]:
    """The JSON Feed, read and checked against the JSON Feed 1.1 schema (tests/schemas). feedparser (6.0,
    the newest release) does not read JSON Feed; ../shared/feedcheck's JavaScript readers do, outside CI."""
    document: dict[str, Any] = json.loads(data)
    schema = json.loads(JSON_FEED_SCHEMA.read_text(encoding="utf-8"))
    # with its formats checked (jsonschema[format-nongpl]): a feed_url that is not a URI is an error
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(
        document
    )
    return document


def make_article(body: str, summary: str | None = None, markdown: str = "python-markdown") -> Article:
    """An article at ARTICLE_URL, for rendering tests that need no site."""
    when = datetime(2026, 5, 1, tzinfo=UTC)
    return Article(
        path=Path("post.md"),
        title="Post",
        date=when,
        updated=when,
        slug="post",
        url=ARTICLE_URL,
        id="tag:example.org,2026-05-01:post",
        summary=summary,
        body=body,
        body_line=5,
        markdown=markdown,
    )
