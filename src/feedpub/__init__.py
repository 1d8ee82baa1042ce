"""feedpub: a folder of Markdown articles in, valid RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds out.

from feedpub import load_site, build_feeds, write_feeds
site = load_site("feedpub.toml")
files = build_feeds(site)               # {"rss.xml": b"<?xml ...", "atom.xml": b"..."}
write_feeds(files, site.config.output)  # atomic; unchanged files are not touched
"""

from __future__ import annotations

from importlib import import_module

from feedpub._version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see build/quick.py)
if TYPE_CHECKING:
    from typing import Any

    from feedpub.authoring import ImportResult, import_stories, new_article
    from feedpub.build.pipeline import (
        PublishResult,
        Site,
        build_feeds,
        check_site,
        load_site,
        make_schedule,
        publish,
        render_entries,
        write_feeds,
    )
    from feedpub.config import SiteConfig, load_config
    from feedpub.errors import ConfigError, ContentError, FeedpubError, OutputError, Problem
    from feedpub.model import Article, Author, Entry, Schedule
    from feedpub.output import WriteReport

# Imported on first use, so that `feedpub build` can tell that nothing changed before it imports
# the Markdown, YAML and feed libraries (see build/quick.py).
_WHERE = {
    **dict.fromkeys(["ImportResult", "import_stories", "new_article"], "feedpub.authoring"),
    **dict.fromkeys(["SiteConfig", "load_config"], "feedpub.config"),
    **dict.fromkeys(["ConfigError", "ContentError", "FeedpubError", "OutputError", "Problem"], "feedpub.errors"),
    **dict.fromkeys(["Article", "Author", "Entry", "Schedule"], "feedpub.model"),
    "WriteReport": "feedpub.output",
    **dict.fromkeys(
        [
            "PublishResult",
            "Site",
            "build_feeds",
            "check_site",
            "load_site",
            "make_schedule",
            "publish",
            "render_entries",
            "write_feeds",
        ],
        "feedpub.build.pipeline",
    ),
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'feedpub' has no attribute {name!r}")


__all__ = [
    "Article",
    "Author",
    "ConfigError",
    "ContentError",
    "Entry",
    "FeedpubError",
    "ImportResult",
    "OutputError",
    "Problem",
    "PublishResult",
    "Schedule",
    "Site",
    "SiteConfig",
    "WriteReport",
    "__version__",
    "build_feeds",
    "check_site",
    "import_stories",
    "load_config",
    "load_site",
    "make_schedule",
    "new_article",
    "publish",
    "render_entries",
    "write_feeds",
]
