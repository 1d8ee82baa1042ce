"""Prove `feedpub init --from` on real sites: every item of the feeds it leads to is a page the generator wrote.

    python bench/prove_init.py /work/collections/hugo-jessfraz /work/collections/jekyll-swift ...

Each argument is a collection folder (not part of this repository): `site/` (the site's source),
`public/` (what its generator wrote), `truth.json` (`base_url`). For each, this runs `feedpub
init --from site/` into a temporary folder, then `feedpub build --keep-going` there (feeds
written to the temporary folder), reads every item of the main JSON feed and of every archive
page (`archive/<n>/feed.json`), and checks that the path of each item's URL, under the site's
base URL, is a file in public/: the path itself, <path>/index.html, or, for a URL not ending in
"/" or ".html" (an extensionless one, or one such as .../v1.2), <path>.html, which GitHub
Pages and Netlify serve for it (counted apart). A site whose configuration gives no title or
URL gets them from --title/--url (the collection's name and truth.json's base_url), and the
report says so. Run by hand: CI has no collections.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

FEEDPUB = [sys.executable, "-m", "feedpub"]


def site_folder(collection: Path) -> Path:
    """site/, or the folder under it that holds the generator's configuration (jekyllrb: site/docs)."""
    site = collection / "site"
    for folder in (site, site / "docs"):
        if any((folder / name).exists() for name in ("_config.yml", "hugo.toml", "config.toml", "pelicanconf.py")):
            return folder
    return site


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


def items(output: Path) -> list[str]:
    """Every item URL of the main JSON feed and of its archive pages."""
    pages = [output / "feed.json", *sorted((output / "archive").glob("*/feed.json"))]
    return [item["url"] for page in pages if page.is_file() for item in json.loads(page.read_text())["items"]]


def published(url: str, base: str, public: Path) -> str | None:
    """How the URL's page is in public/: "file", "index" or "html" (extensionless URL), else None."""
    path = unquote(urlsplit(url).path)
    prefix = urlsplit(base).path.rstrip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    relative = path.lstrip("/")
    if relative and (public / relative).is_file():
        return "file"
    if (public / relative / "index.html").is_file():
        return "index"
    if relative and not relative.endswith(("/", ".html")) and (public / (relative + ".html")).is_file():
        return "html"
    return None


def prove(collection: Path) -> bool:
    truth = json.loads((collection / "truth.json").read_text())
    site = site_folder(collection)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder)
        init = run([*FEEDPUB, "init", "--from", str(site), str(target)], target)
        given = ""
        if init.returncode == 2 and "pass --" in init.stderr:
            extra = ["--title", collection.name, "--url", truth["base_url"]]
            given = " (title/url not in the site's configuration: passed --title/--url)"
            init = run([*FEEDPUB, "init", "--from", str(site), str(target), *extra], target)
        print(f"== {collection.name}: init exit {init.returncode}{given}")
        if init.returncode != 0:
            print(init.stderr.strip())
            return False
        text = (target / "feedpub.toml").read_text()
        for line in text.splitlines():  # what init set, and its comments on what it could not translate
            if line.strip() and (not line.startswith("#") or re.match(r"# \w+: ", line)):
                print(f"   {line}")
        build = run([*FEEDPUB, "build", "--config", str(target / "feedpub.toml"), "--keep-going"], target)
        errors = [line for line in build.stderr.splitlines() if ": error: " in line]
        summary = build.stdout.strip().rpartition(" each); ")[2]
        print(f"   build exit {build.returncode}: {summary}")
        for line in errors[:5]:
            print(f"   {line}")
        if len(errors) > 5:
            print(f"   ... {len(errors)} errors in all")
        base = truth["base_url"]
        public = collection / "public"
        urls = items(target / "feeds")
        kinds = [published(url, base, public) for url in urls]
        missing = [url for url, kind in zip(urls, kinds, strict=True) if kind is None]
        html = sum(kind == "html" for kind in kinds)
        found = len(urls) - len(missing)
        share = 100 * found / len(urls) if urls else 0.0
        print(
            f"   items {len(urls)} (posts in truth.json {len(truth['posts'])}), in public/ {found} ({share:.1f} %"
            f"{f'; {html} as <path>.html' if html else ''}), missing {len(missing)}"
        )
        for url in missing[:5]:
            print(f"     missing: {url}")
        return bool(urls) and not missing


def main(arguments: list[str]) -> int:
    if not arguments:
        print(__doc__)
        return 2
    results = [prove(Path(argument)) for argument in arguments]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
