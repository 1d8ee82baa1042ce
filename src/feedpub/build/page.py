"""The files for people beside the feeds: the HTML page (`index.html`, `[build] html_page`) and the XSL
stylesheet of RSS and Atom (`feed.xsl`, `[build] xsl`), and the one rule for writing the page.

The rule: an `index.html` already in the output folder that feedpub did not write (one without its
generator mark near the top: the site's own home page, when the output folder is the site's root) is
never overwritten; the build leaves the page out, with a warning. Turning `html_page` or `xsl` off
leaves a page or stylesheet written before where it is, as feedpub removes files only in the
folders it makes (archive/, tags/, authors/).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from feedpub.config import SiteConfig
from feedpub.errors import Problem
from feedpub.feeds import STYLESHEET, Topic
from feedpub.feeds.page import GENERATOR_MARK, html_page
from feedpub.feeds.xsl import stylesheet
from feedpub.model import Entry

__all__ = ["PAGE", "foreign_page", "page_files", "unless_foreign_page"]

PAGE = "index.html"
_LOOK = 4096  # the mark is in the <head>, well within the first bytes


def page_files(config: SiteConfig, entries: Sequence[Entry], topics: Iterable[Topic]) -> dict[str, bytes]:
    """index.html (the newest `entries`, every feed of the site) and feed.xsl, those the config asks for."""
    files = {PAGE: html_page(config, entries, topics)} if config.html_page else {}
    return files | ({STYLESHEET: stylesheet()} if config.xsl else {})


def foreign_page(folder: Path) -> bool:
    """Whether `folder` holds an index.html that feedpub did not write (one it must never replace)."""
    try:
        with (folder / PAGE).open("rb") as stream:
            head = stream.read(_LOOK)
    except FileNotFoundError:
        return False
    except OSError:  # unreadable, or a folder: not to be replaced either
        return True
    return GENERATOR_MARK.encode("utf-8") not in head


def unless_foreign_page(config: SiteConfig, files: dict[str, bytes]) -> list[Problem]:
    """Take index.html out of `files` when the output folder holds one that is not feedpub's; a warning then."""
    path = config.output / PAGE
    if PAGE not in files or not foreign_page(config.output):
        return []
    del files[PAGE]
    message = (
        "is not feedpub's page, so it was left as it is and no page was written; move it away to get "
        "feedpub's, or set [build] html_page = false to silence this"
    )
    return [Problem(path, None, message, "warning")]
