"""A cron job over a big archive: a build costs what the feeds show and what changed, never more."""

from __future__ import annotations

import pytest
from conftest import Invoke, SiteDir

from feedpub import publish
from feedpub.render import Renderer


def test_only_the_articles_the_feeds_show_are_rendered(
    site: SiteDir, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.write_config(site.config.read_text(encoding="utf-8") + "\n[build]\nlimit = 2\n")
    for day in range(1, 6):
        site.article(f"_posts/2024-01-0{day}-day-{day}.md", f"---\ntitle: Day {day}\n---\nA {{% gallery %}}.\n")
    rendered: list[str] = []
    real = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, article: rendered.append(article.title) or real(self, article))
    result = publish(site.config)
    assert sorted(rendered) == ["Day 4", "Day 5"]
    assert result.items == 2
    # A body the feeds do not carry is not read for problems by build; check reads them all.
    build = invoke("build", cwd=site.root)
    assert [line.split(":")[0] for line in build.stderr.splitlines()] == [
        "articles/_posts/2024-01-04-day-4.md",
        "articles/_posts/2024-01-05-day-5.md",
    ]
    check = invoke("check", cwd=site.root)
    assert check.stderr.count("{% gallery %}") == 5
