"""What bounds a cold build: each step's cost per article, beside what its libraries alone cost.

    python bench/profile_cold.py [SITE] [--sample 1000] [--passes 3]

SITE is a folder with a feedpub.toml and its articles (default: the 10,000-article site that
bench_build.py leaves in its work folder). A cold build does, for every article, what this script
times on a sample of them, in one process (one core), median of `--passes` passes:

- the machine and the libraries alone, called as plainly as they can be: the file opened, read
  and decoded; its front matter loaded by PyYAML's C loader; its body by cmark-gfm; that HTML
  cleaned by nh3 with its default rules; pages of 100 items by feedgen (RSS and Atom: title,
  link, id, two dates, summary, content) and by `json.dumps`. No publisher built on these
  libraries does less for an article; their sum is a floor for this stack on this machine;
- feedpub's own steps: parsing a file (as a cold build's workers do, the cache's record made),
  rendering an article, and making its share of the archive pages in all three formats.

It then prints what the two cold builds cost per article (newest 20: parsing only; full history:
parsing, reading the body again, rendering, pages) and what that means for the sample's site on
this machine's cores. Figures, not assertions; the machine's noise applies (alternate runs).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import cmarkgfm  # noqa: E402
import nh3  # noqa: E402
import yaml  # noqa: E402
from feedgen.feed import FeedGenerator  # noqa: E402

from feedpub import feeds  # noqa: E402
from feedpub.build import incremental  # noqa: E402
from feedpub.build.cache import digest  # noqa: E402
from feedpub.config import load_config  # noqa: E402
from feedpub.feeds.archives import Page  # noqa: E402
from feedpub.model import Entry  # noqa: E402
from feedpub.read.frontmatter import normalize  # noqa: E402

DEFAULT_SITE = Path("/tmp/feedpub-bench/feedpub-10000")
PAGE = 100


def per_article(step: Callable[[], object], count: int, passes: int) -> float:
    """The median over `passes` of the time `step` takes, in µs per article (`step` does `count`)."""
    times = []
    for _ in range(passes):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6 / count


def front_and_body(text: str) -> tuple[str, str]:
    """The YAML between the first two `---` lines, and what follows (the corpus's form)."""
    _, front, body = normalize(text).split("---\n", 2)
    return front, body


def feedgen_page(entries: Sequence[Entry]) -> tuple[bytes, bytes]:
    """RSS and Atom of `entries` by feedgen, with the fields every feed carries and nothing else."""
    made = []
    for form in ("rss", "atom"):
        generator = FeedGenerator()
        generator.id("https://news.example.org/")
        generator.title("Bench News")
        generator.description("Bench News")
        generator.link(href="https://news.example.org/", rel="alternate")
        generator.updated(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
        for entry in entries:
            article, item = entry.article, generator.add_entry(order="append")
            item.id(article.id)
            item.title(article.title)
            item.link(href=article.url)
            item.published(article.date)
            item.updated(article.updated)
            item.summary(entry.summary_html, type="html")
            item.content(entry.content_html, type="html")
        made.append(generator.rss_str(pretty=True) if form == "rss" else generator.atom_str(pretty=True))
    return made[0], made[1]


def json_page(entries: Sequence[Entry]) -> str:
    items = [
        {
            "id": entry.article.id,
            "url": entry.article.url,
            "title": entry.article.title,
            "content_html": entry.content_html,
            "summary": entry.summary_html,
            "date_published": entry.article.date.isoformat(),
        }
        for entry in entries
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}, indent=2, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=DEFAULT_SITE)
    parser.add_argument("--sample", type=int, default=1000, help="articles timed (default 1000)")
    parser.add_argument("--passes", type=int, default=3, help="passes, of which the median (default 3)")
    args = parser.parse_args(argv)
    config = load_config(args.site / "feedpub.toml")
    names = sorted(str(path) for path in config.articles.rglob("*.md"))
    if not names:
        print(f"{args.site}: no articles; run bench/bench_build.py first, or name a site", file=sys.stderr)
        return 2
    total = len(names)
    names = names[: args.sample]
    count, passes = len(names), args.passes
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    texts = [Path(name).read_text(encoding="utf-8") for name in names]
    parts = [front_and_body(text) for text in texts]
    todo = [(name, "0:0:0:0", 0, None) for name in names]
    heads, digests, articles = [], [], []
    for name in names:
        data = Path(name).read_bytes()
        parsed, _ = incremental._parse_bytes(Path(name), data, config)
        assert parsed is not None, name
        heads.append(parsed)
        digests.append(digest(data))
        articles.append(incremental.full_article(parsed, config))
    renderer = incremental.make_renderer(config, articles)
    entries = [renderer.render(article) for article in articles]
    htmls = [cmarkgfm.markdown_to_html(body) for _, body in parts]
    pages = [entries[start : start + PAGE] for start in range(0, count, PAGE)]
    cleaner = nh3.Cleaner()

    def read() -> None:
        for name in names:
            with Path(name).open("rb") as stream:
                stream.read().decode("utf-8")

    def reread() -> None:  # as a build does: the bytes parsed (their digest) are not parsed again
        for article, hashed in zip(heads, digests, strict=True):
            incremental.full_article(article, config, hashed)

    def archive_pages() -> None:
        for number, chunk in enumerate(pages, start=1):
            feeds.archive_files(config, Page(number, tuple(chunk), True, False))

    floor: list[tuple[str, Callable[[], Any]]] = [
        ("open, read, decode the file", read),
        ("PyYAML C loader (front matter)", lambda: [yaml.load(front, Loader=yaml.CSafeLoader) for front, _ in parts]),
        ("cmark-gfm (body)", lambda: [cmarkgfm.markdown_to_html(body) for _, body in parts]),
        ("nh3, default rules (body's HTML)", lambda: [cleaner.clean(html) for html in htmls]),
        ("feedgen, RSS + Atom pages", lambda: [feedgen_page(chunk) for chunk in pages]),
        ("json.dumps, JSON pages", lambda: [json_page(chunk) for chunk in pages]),
    ]

    def parse() -> None:  # as a cold build's workers do
        for item in todo:
            incremental._parse_one(item, config, keep=False)

    own: list[tuple[str, Callable[[], Any]]] = [
        ("parse a file (front matter, fields, record)", parse),
        ("read the body again", reread),
        ("render (Markdown, templates, clean, summary)", lambda: [renderer.render(article) for article in articles]),
        ("archive pages, RSS + Atom + JSON", archive_pages),
    ]
    print(f"{args.site}: {count} of {total} articles, one process, median of {passes} passes (µs per article)")
    costs: dict[str, float] = {}
    for heading, steps in (("the machine and the libraries alone", floor), ("feedpub's steps", own)):
        print(f"\n{heading}:")
        for label, step in steps:
            costs[label] = per_article(step, count, passes)
            print(f"  {label:<46} {costs[label]:8.0f}")
    library = [label for label, _ in floor]
    parse_floor = costs[library[0]] + costs[library[1]]
    history_floor = sum(costs[label] for label in library)
    parse = costs[own[0][0]]
    history = sum(costs[label] for label, _ in own)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    print(f"\nper article, cold (libraries' floor / feedpub), then for {total:,} articles on {cores} cores:")
    for label, floor_us, feedpub_us in (("newest 20", parse_floor, parse), ("full history", history_floor, history)):
        floor_s, feedpub_s = floor_us * total / 1e6 / cores, feedpub_us * total / 1e6 / cores
        print(
            f"  {label:<13} {floor_us:6.0f} / {feedpub_us:6.0f} µs  ({feedpub_us / floor_us:.1f}x); "
            f"CPU over {cores} cores: {floor_s:5.2f} / {feedpub_s:5.2f} s, before start-up and the cache"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
