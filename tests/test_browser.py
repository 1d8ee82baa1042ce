"""The page for people, as a person sees it: headless Chromium (Debian's `chromium`) opens
`index.html` through the preview server, on a phone-sized window, takes a screenshot and hands
back the page as it rendered it. That test is skipped where Chromium is not installed (apt-get
install chromium)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SITE_CONFIG, SiteDir
from lxml import html

from feedpub.serve.preview import Preview

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NEEDS_CHROMIUM = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TITLES = ("Spring in Köln", "Notes on <feeds> & readers", "A third article")


@pytest.fixture
def preview(site: SiteDir) -> Iterator[Preview]:
    site.write_config(SITE_CONFIG + "\n[build]\ntag_feeds = true\n")
    for day, title in enumerate(TITLES, start=1):
        escaped = title.replace('"', '\\"')
        body = f"The first paragraph of article {day}, a summary.\n\nMore text.\n"
        site.article(f"a{day}.md", f'---\ntitle: "{escaped}"\ndate: 2026-03-0{day}\ntags: [notes]\n---\n{body}')
    with Preview(site.config, port=0) as running:
        built = running.build(jobs=1)
        assert built.error is None, built.error
        running.start()
        yield running


def chromium(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", *arguments]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result


@NEEDS_CHROMIUM
def test_the_page_shows_the_items_and_the_feed_urls_in_a_browser(preview: Preview, tmp_path: Path) -> None:
    url = preview.url
    shot = tmp_path / "page.png"
    chromium(f"--screenshot={shot}", "--window-size=412,1400", "--hide-scrollbars", url, cwd=tmp_path)
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000  # a page drawn, not an empty window
    rendered = html.fromstring(chromium("--dump-dom", url, cwd=tmp_path).stdout)
    text = " ".join(rendered.text_content().split())
    for title in TITLES:
        assert title in text, title
    links = {link.text_content().strip() for link in rendered.iter("a")}
    assert set(TITLES) <= links  # each title links to its article
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert f"https://example.org/feeds/{name}" in text
    assert "https://example.org/feeds/tags/notes/atom.xml" in rendered.xpath("//a/@href")  # the tag's feeds
    alternates = rendered.xpath("//head/link[@rel='alternate']/@type")
    assert {"application/rss+xml", "application/atom+xml", "application/feed+json"} <= set(alternates)


def test_the_readme_shows_the_page_as_a_browser_draws_it() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "](docs/feed-page.png)" in readme
    picture = Path(__file__).resolve().parent.parent / "docs" / "feed-page.png"
    assert picture.read_bytes().startswith(PNG_SIGNATURE)
