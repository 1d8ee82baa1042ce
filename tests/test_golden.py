"""The exact XML of a small fixture site, byte for byte.

After a deliberate change of output, refresh with `pytest tests/test_golden.py --update-golden`
and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import re

import pytest
from conftest import TESTS, assert_valid_atom, assert_valid_json_feed, parse_feed

from feedpub import build_feeds, load_site

FIXTURE = TESTS / "fixtures" / "golden-site" / "feedpub.toml"
GOLDEN = TESTS / "golden"


def without_version(data: bytes) -> bytes:
    """The generator elements name feedpub's version; the golden files say VERSION instead."""
    data = re.sub(rb"<generator>feedpub [^<]+</generator>", b"<generator>feedpub VERSION</generator>", data)
    return re.sub(
        rb'<generator version="[^"]+">feedpub</generator>', b'<generator version="VERSION">feedpub</generator>', data
    )


NAMES = [folder + name for folder in ("", "archive/1/") for name in ("rss.xml", "atom.xml", "feed.json")]


def test_the_golden_site_has_one_archive_page() -> None:
    assert sorted(build_feeds(load_site(FIXTURE))) == sorted([*NAMES, "index.html"])


@pytest.mark.parametrize("name", NAMES)
def test_feed_matches_golden_file(name: str, update_golden: bool) -> None:
    data = without_version(build_feeds(load_site(FIXTURE))[name])
    golden = GOLDEN / name
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes(), f"{name} differs from {golden}; see the module docstring to refresh it"


@pytest.mark.parametrize("name", NAMES)
def test_golden_files_themselves_are_valid(name: str) -> None:
    data = (GOLDEN / name).read_bytes()
    if name.endswith("feed.json"):
        titles = [item["title"] for item in assert_valid_json_feed(data)["items"]]
    else:
        titles = [entry.title for entry in parse_feed(data).entries]
    if name.startswith("archive/"):  # the oldest article, left out of the subscription feeds by the limit of 3
        assert titles == ["The oldest article"]
    else:  # newest first; the draft and the oldest article are left out
        assert titles == [
            "An article with a fixed id",
            "Grüße aus Köln — „Anführungszeichen“ & <Spitzen>",
            "First post",
        ]
    if name.endswith("atom.xml"):
        assert_valid_atom(data)
