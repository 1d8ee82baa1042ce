"""Time `feedpub serve` from saving an article to its new feed bytes being served.

    python bench/bench_serve.py [--size 10000] [--runs 5] [--make-corpus PATH] [--work DIR]

The reference corpus (`make-corpus N DIR`, the shared generator) gets the site of
bench_build.py (a newest-20 feed), once with `[build] archive_size = 0` (no archives) and once
with the default (100 items a page). For each: one `feedpub build` (so the cache is warm, as
after a first preview), then `python -m feedpub serve --port 0`; then, `--runs` times, one of the
newest articles is edited and saved, and the clock runs until a conditional GET of atom.xml
(polled every 5 ms) gets the new bytes: the watcher's notice, the rebuild (cache on) and the
rename, as a reader of the preview sees them. Prints the median and the range, and the median of
the build time the server itself printed. Figures, not assertions: tests never time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_build import DEFAULT_CORPUS, FEEDPUB_TOML  # noqa: E402  (the same site as the build bench)

TIMEOUT = 120.0


def etag_and_status(url: str, etag: str | None) -> tuple[int, str]:
    where = urlsplit(url)
    assert where.hostname is not None and where.port is not None
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=TIMEOUT)
    try:
        connection.request("GET", "/atom.xml", headers={"If-None-Match": etag} if etag else {})
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.getheader("ETag") or ""
    finally:
        connection.close()


def newest(site: Path, env: dict[str, str]) -> list[Path]:
    listed = subprocess.run(
        [sys.executable, "-m", "feedpub", "list", "--json"], cwd=site, env=env, capture_output=True, check=True
    )
    return [site / row["path"] for row in json.loads(listed.stdout) if row["status"] == "published"][:20]


def measure(site: Path, runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "feedpub", "build", "-q"], cwd=site, env=env, check=True)
    print(f"  first build: {time.perf_counter() - started:.1f} s", flush=True)
    targets = newest(site, env)
    server = subprocess.Popen(
        [sys.executable, "-m", "feedpub", "serve", "--port", "0"],
        cwd=site,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert server.stdout is not None
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()  # type: ignore[union-attr]

    def next_line(text: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if text in line:
                return line
        sys.exit(f"feedpub serve printed no {text!r} in {TIMEOUT:g} s")

    try:
        url = next_line("serving ").split(" at ")[1].split()[0]
        time.sleep(1)  # let a rebuild the first one asked for (files saved during it) pass
        while not lines.empty():
            lines.get()
        latencies, builds = [], []
        for attempt in range(runs):
            _, etag = etag_and_status(url, None)
            path = targets[attempt % len(targets)]
            with path.open("a", encoding="utf-8") as stream:
                stream.write(f"\nA correction, number {attempt}.\n")
            saved = time.perf_counter()
            while True:
                status, now = etag_and_status(url, etag)
                if status == 200 and now != etag:
                    break
                if time.perf_counter() - saved > TIMEOUT:
                    sys.exit(f"the edit of {path} was not served in {TIMEOUT:g} s")
                time.sleep(0.005)
            latencies.append(time.perf_counter() - saved)
            printed = next_line("rebuilt (")
            builds.append(float(re.findall(r"; ([0-9.]+) s$", printed.strip())[0]))
            time.sleep(0.5)
        return latencies, builds
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=TIMEOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--make-corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/feedpub-bench-serve"))
    options = parser.parse_args()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    for label, size in (("archive_size = 0", 0), ("archive_size = 100 (default)", 100)):
        site = options.work / ("no-archives" if size == 0 else "archives")
        shutil.rmtree(site, ignore_errors=True)
        site.mkdir(parents=True)
        subprocess.run([str(options.make_corpus), str(options.size), str(site / "articles")], check=True)
        (site / "feedpub.toml").write_text(FEEDPUB_TOML.format(archive_size=size), encoding="utf-8")
        print(f"{options.size} articles, {label}:", flush=True)
        latencies, builds = measure(site, options.runs, env)
        print(
            f"  save → new bytes served: median {statistics.median(latencies) * 1000:.0f} ms "
            f"(min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f}; {options.runs} runs); "
            f"the rebuild itself (as printed): median {statistics.median(builds) * 1000:.0f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
