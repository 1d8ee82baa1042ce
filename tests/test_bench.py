"""The benchmark scripts run: figures are never asserted, only that each script still does its job."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import SiteDir

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_profile_cold_times_every_step_beside_its_libraries(site: SiteDir) -> None:
    for number in range(12):
        body = f"A lead with [a link](/about/) and *emphasis*.\n\n- a point\n- another\n\n## Part\n\nText {number}.\n"
        site.article(
            f"{2020 + number % 3}/news-{number}.md",
            f"---\ntitle: News {number}\ndate: 2024-01-{number + 1:02d}\n---\n{body}",
        )
    result = subprocess.run(
        [sys.executable, str(BENCH / "profile_cold.py"), str(site.root), "--sample", "10", "--passes", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "10 of 12 articles" in result.stdout
    for step in (
        "PyYAML C loader",
        "cmark-gfm",
        "nh3",
        "feedgen",
        "json.dumps",
        "parse a file",
        "render",
        "archive pages",
    ):
        assert re.search(rf"{re.escape(step)}.*\s\d+$", result.stdout, re.M), step
    assert re.search(r"newest 20 +\d+ / +\d+ µs", result.stdout) and "full history" in result.stdout


def test_profile_cold_says_when_a_site_has_no_articles(site: SiteDir) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "profile_cold.py"), str(site.root)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "no articles" in result.stderr
