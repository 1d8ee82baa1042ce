"""Compare, post by post, what a site's own generator published with what feedpub reads.

    python bench/compare_site.py [--html] [--markdown PRESET] COLLECTION_DIR [COLLECTION_DIR ...]

Each COLLECTION_DIR holds `feedpub.toml` (the site's URL, zone and permalink pattern as feedpub
settings) and `truth.json`, written from the generator's own output (Hugo, Jekyll, Pelican,
Eleventy run on the site): for every post, its source file (relative to the articles folder),
the URL the generator wrote it at, its title and its date (ISO 8601 with offset); and the files
the generator did not publish, with why. This script prints, per collection: files, published
by the generator, published by feedpub, and every difference with its kind. Nothing of the
site is kept here: the collections live outside the project.

With `--html`, each post's content is compared too: feedpub's HTML and the generator's (the
file truth.json's `html` names, holding the rendered body alone), both normalised by
tests/htmlnorm.py; it prints the share identical and, for each post that differs, the first
differing lines. `--markdown` sets `[build] markdown` for the run; `--html-field` names another
field of truth.json to compare with (a site whose plugin rewrites the HTML after Markdown may
give the HTML from before it). The generator's HTML is cleaned as feedpub cleans its own before
the comparison (scripts, forms, unsafe styles go; embeds become links), so that the figure measures
the rendering; `--raw` compares with the page as the generator wrote it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from feedpub.build.pipeline import check_site, make_schedule
from feedpub.config import load_config
from feedpub.errors import ContentError, LineError
from feedpub.render import Renderer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from htmlnorm import normalise  # the tests' normaliser: one definition of "the same"

from feedpub.render.clean import clean_html


def compare(
    collection: Path, html: bool = False, markdown: str | None = None, field: str = "html", raw: bool = False
) -> tuple[dict[str, int], list[str]]:
    truth = json.loads((collection / "truth.json").read_text(encoding="utf-8"))
    config = load_config(collection / "feedpub.toml", {"build.markdown": markdown} if markdown else None)
    root = config.articles
    posts = {post["source"]: post for post in truth["posts"]}
    # Every article feedpub would publish, future ones too (the generators' truth was taken with
    # future posts on, or had none): what is compared is what each reads, not the clock.
    schedule = make_schedule(config, "9999-01-01", future=True)
    problems: list[str] = []
    entries = {}
    try:
        site, rendered = check_site(config, schedule=schedule)
        entries = {e.article.path.relative_to(root).as_posix(): e.content_html for e in rendered}
        articles = {a.path.relative_to(root).as_posix(): a for a in site.articles if schedule.shows(a)}
        warnings = site.warnings
    except ContentError as error:
        # Report what was refused, then compare what parsed.
        problems = [
            p.format(lambda p: str(p.relative_to(root)) if p.is_relative_to(root) else str(p)) for p in error.problems
        ]
        articles = {}
        warnings = error.warnings
    differences: list[str] = [f"refused: {line}" for line in problems]
    if problems:
        from feedpub.read.articles import parse_articles
        from feedpub.read.sources import read_sources

        sources, _ = read_sources(config.articles, config.exclude)
        parsed, _ = parse_articles(sources, config)
        articles = {a.path.relative_to(root).as_posix(): a for a in parsed if schedule.shows(a)}
        renderer = Renderer.for_site(config, parsed)  # the HTML of those that parse, as a build would write it
        for source, article in articles.items():
            try:
                entries[source] = renderer.render(article).content_html
            except LineError as failure:
                differences.append(f"refused: {source}:{failure.line}: {failure.message}")
    kinds: Counter[str] = Counter()
    for source, post in sorted(posts.items()):
        article = articles.get(source)
        if article is None:
            kinds["published by the generator only"] += 1
            differences.append(f"missing: {source}")
            continue
        if unquote(article.url).rstrip("/") != unquote(post["url"]).rstrip("/"):
            kinds["URL"] += 1
            differences.append(f"URL: {source}: feedpub {article.url} generator {post['url']}")
        if " ".join(article.title.split()) != " ".join(str(post["title"]).split()):
            kinds["title"] += 1
            differences.append(f"title: {source}: feedpub {article.title!r} generator {post['title']!r}")
        if post.get("date") and article.date != datetime.fromisoformat(post["date"]):
            kinds["date"] += 1
            differences.append(f"date: {source}: feedpub {article.date.isoformat()} generator {post['date']}")
    for source in sorted(set(articles) - set(posts)):
        kinds["published by feedpub only"] += 1
        differences.append(f"extra: {source} ({articles[source].status(schedule.now)})")
    if html:
        same = compared = 0
        for source, post in sorted(posts.items()):
            if source not in entries or not post.get(field):
                continue
            compared += 1
            page = (collection / post[field]).read_text(encoding="utf-8").strip()
            # What a feed would carry of the generator's page: cleaned as feedpub cleans its own
            # rendering (render/clean.py), so that what is compared is the rendering.
            theirs = normalise(page if raw else clean_html(page, post["url"]), post["url"])
            ours = normalise(entries[source], articles[source].url)
            if ours == theirs:
                same += 1
                continue
            kinds["HTML"] += 1
            diff = list(difflib.unified_diff(theirs.split("\n"), ours.split("\n"), n=0, lineterm=""))
            differences.append(f"HTML: {source}: " + " | ".join(diff[2:8]))
        kinds["HTML compared"] = compared
        kinds["HTML identical %"] = round(100 * same / max(1, compared), 1)  # type: ignore[assignment]
    matched = sum(1 for source in posts if source in articles)
    figures = {
        "generator": len(posts),
        "feedpub": len(articles),
        "both": matched,
        "refused": len(problems),
        "warnings": sum(w.severity == "warning" for w in warnings),
        **kinds,
    }
    return figures, differences


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", action="store_true", help="compare each post's HTML too")
    parser.add_argument("--markdown", help="[build] markdown for this run")
    parser.add_argument("--raw", action="store_true", help="compare with the generator's HTML as it is, not cleaned")
    parser.add_argument(
        "--html-field", default="html", help="the truth.json field naming each post's HTML file (default: html)"
    )
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args(argv)
    for folder in args.folders:
        figures, differences = compare(Path(folder), args.html, args.markdown, args.html_field, args.raw)
        print(f"== {folder}: " + ", ".join(f"{key} {value}" for key, value in figures.items()))
        for line in differences:
            print(f"   {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
