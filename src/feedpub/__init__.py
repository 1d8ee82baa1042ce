"""feedpub: a folder of Markdown articles in, valid RSS 2.0 and Atom 1.0 feeds out.

from feedpub import load_site, build_feeds, write_feeds
site = load_site("feedpub.toml")
files = build_feeds(site)               # {"rss.xml": b"<?xml ...", "atom.xml": b"..."}
write_feeds(files, site.config.output)  # atomic; unchanged files are not touched
"""

from feedpub._version import __version__
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
