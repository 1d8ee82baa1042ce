"""`python -m feedpub` and the `feedpub` command: the quick check that nothing changed, then the CLI."""

from __future__ import annotations

import sys


def main() -> None:
    # Before click, Markdown, YAML or feedgen is imported: a cron run that finds nothing changed
    # costs what looking costs (build/quick.py). Anything else goes to the CLI.
    from feedpub.build.quick import quick_build

    code = quick_build(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from feedpub.cli import main as cli

    cli(prog_name="feedpub")


if __name__ == "__main__":
    main()
