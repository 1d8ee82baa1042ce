"""Hostile article sizes and shapes: how long one build takes for each (prints figures, asserts nothing).

    python bench/hostile.py [--repeat N]

Each case is a fresh site with one hostile article (or 10,000 small ones) built in memory
through the library, as `feedpub build` would; the median of N runs is printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from feedpub import ContentError, build_feeds, load_site

CONFIG = '[site]\ntitle = "Bench"\nurl = "https://example.org/"\n[build]\nlimit = 20\n'
FRONT = "---\ntitle: {title}\ndate: 2026-01-01\n---\n"

CASES: dict[str, Callable[[], dict[str, str]]] = {
    "10 MB article": lambda: {"big.md": FRONT.format(title="Big") + ("A sentence of words. " * 40 + "\n\n") * 12_000},
    "1 MB line": lambda: {"line.md": FRONT.format(title="Line") + "word " * 200_000 + "\n"},
    "100,000 lines": lambda: {"lines.md": FRONT.format(title="Lines") + "short line\n" * 100_000},
    "nested lists x1000": lambda: {
        "lists.md": FRONT.format(title="Lists") + "".join("    " * i + "- item\n" for i in range(1000))
    },
    "nested quotes x1000": lambda: {"quotes.md": FRONT.format(title="Quotes") + ">" * 1000 + " deep\n"},
    "nested HTML x1000": lambda: {"html.md": FRONT.format(title="HTML") + "<div>" * 1000 + "x" + "</div>" * 1000},
    "10,000 articles": lambda: {
        f"a{i:05d}.md": FRONT.format(title=f"Article {i}") + "A short body.\n" for i in range(10_000)
    },
}


def run(files: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "feedpub.toml").write_text(CONFIG, encoding="utf-8")
        for name, text in files.items():
            path = root / "articles" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        try:
            build_feeds(load_site(root / "feedpub.toml"))
        except ContentError as error:
            print(f"    refused: {error.problems[0].message}")
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("case", nargs="*", help="run only these cases (default: all)")
    args = parser.parse_args()
    for name, make in CASES.items():
        if args.case and name not in args.case:
            continue
        files = make()
        times = [run(files) for _ in range(args.repeat)]
        print(f"{name:<22} median {statistics.median(times):6.2f} s  (min {min(times):.2f}, n={args.repeat})")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
