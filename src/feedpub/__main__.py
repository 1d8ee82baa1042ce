"""`python -m feedpub` and the `feedpub` command: the quick check that nothing changed, then the CLI."""

from __future__ import annotations

import os
import sys


def main() -> None:
    # Before click, Markdown, YAML or feedgen is imported: a cron run that finds nothing changed
    # costs what looking costs (build/quick.py). Anything else goes to the CLI.
    from feedpub.build.quick import quick_build

    try:
        code = quick_build(sys.argv[1:])
    except BrokenPipeError:  # the reader of its output went away: as click does, exit 1 without a word
        _leave(1)
    if code is not None:
        _leave(code)
    from feedpub.cli import main as cli

    try:
        cli(prog_name="feedpub")
    except SystemExit as done:
        if sys.argv[1:2] == ["build"] and (done.code is None or isinstance(done.code, int)):
            _leave(done.code or 0)
        raise


def _leave(code: int) -> None:
    """End a build's process at once, its output flushed. Tearing down the interpreter (every module
    and object the run made) is time spent for nothing: 7 ms of the 0.1 s a run that finds nothing
    changed in 10,000 files takes (bench/README.md). By then every file is closed and renamed, every
    worker and thread joined, the cache closed, the lock let go."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away: exit 1, as click does then
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    main()
