"""The README's guides work as written: every ```sh block of "Publish your first feed in 5 minutes"
and "Add feeds to your existing site" is run, in a temporary folder, by bash.

Only what must be is replaced: `pip install feedpub` is dropped (feedpub is installed already, in
this interpreter's environment, whose bin folder comes first on PATH so `feedpub` is this one),
and each `cd my-...-site` finds a small site of that generator, made here, in the folder. The
feeds each block builds are then read: they must hold the sample post at the URL its generator
gives it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

GUIDES = ("## Publish your first feed in 5 minutes", "## Add feeds to your existing site")
POST = "---\ntitle: Hello\ndate: 2026-01-05\n---\nThe first post.\n"
# Each site of the guides: its files, where its feeds end up, and the URL of its one post.
SITES: dict[str, tuple[dict[str, str], str, str]] = {
    "my-jekyll-site": (
        {
            "_config.yml": "title: Jekyll Notes\nurl: https://example.org\npermalink: pretty\n",
            "_posts/2026-01-05-hello.md": POST,
        },
        "feeds",
        "https://example.org/2026/01/05/hello/",
    ),
    "my-hugo-site": (
        {"hugo.toml": 'baseURL = "https://example.org/"\ntitle = "Hugo Notes"\n', "content/posts/hello.md": POST},
        "static/feeds",
        "https://example.org/posts/hello/",
    ),
    "my-pelican-site": (
        {
            "pelicanconf.py": "SITENAME = 'Pelican Notes'\nSITEURL = 'https://example.org'\n"
            "ARTICLE_URL = 'blog/{slug}/'\n",
            "content/hello.md": "Title: Hello\nDate: 2026-01-05\n\nThe first post.\n",
        },
        "feeds",
        "https://example.org/blog/hello/",
    ),
    "my-eleventy-site": (
        {
            "eleventy.config.js": "export default function () {}\n",
            "_data/site.json": '{"url": "https://example.org/", "title": "Eleventy Notes"}',
            "posts/2026-01-05-hello.md": POST,
        },
        "feeds",
        "https://example.org/posts/2026-01-05-hello/",
    ),
}


def guide_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for heading in GUIDES:
        assert heading in readme, f"the README lacks the section {heading!r}"
        section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
        blocks += re.findall(r"^```sh\n(.*?)^```", section, flags=re.S | re.M)
    # The link tags' blocks write into the site's own templates: tests/test_page.py runs those.
    return [block for block in blocks if not all(line.startswith("feedpub links") for line in block.splitlines())]


def test_the_guides_have_their_blocks() -> None:
    blocks = guide_blocks()
    assert len(blocks) == 1 + len(SITES)
    assert "pip install feedpub" in blocks[0]


@pytest.mark.parametrize("block", guide_blocks())
def test_a_guide_block_runs(block: str, tmp_path: Path) -> None:
    site = re.search(r"^cd (my-[\w-]+-site)$", block, flags=re.M)
    if site:
        assert site[1] in SITES, f"the README's {site[1]} has no site in this test"
        files, output, url = SITES[site[1]]
        for name, text in files.items():
            path = tmp_path / site[1] / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        feeds = tmp_path / site[1] / output
    else:  # the sample article of feedpub init, dated now
        feeds, url = tmp_path / "my-feeds" / "feeds", "https://example.org/20"
    script = "\n".join(line for line in block.splitlines() if line.strip() != "pip install feedpub")
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-euc", script], cwd=tmp_path, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{textwrap.indent(script, '  ')}\nfailed:\n{result.stdout}{result.stderr}"
    items = json.loads((feeds / "feed.json").read_text(encoding="utf-8"))["items"]
    assert len(items) == 1
    assert items[0]["url"] == url if site else items[0]["url"].startswith(url)
    assert (feeds / "rss.xml").is_file() and (feeds / "atom.xml").is_file()
