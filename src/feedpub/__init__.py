"""feedpub: a folder of Markdown articles in, valid RSS 2.0 and Atom 1.0 feeds out.

from feedpub import load_site, build_feeds, write_feeds
site = load_site("feedpub.toml")
files = build_feeds(site)               # {"rss.xml": b"<?xml ...", "atom.xml": b"..."}
write_feeds(files, site.config.output)  # atomic; unchanged files are not touched
"""

from feedpub._version import __version__
from feedpub.config import SiteConfig, load_config
from feedpub.errors import ConfigError, ContentError, FeedpubError, OutputError, Problem
from feedpub.model import Article, Author, Entry
from feedpub.output import WriteReport
from feedpub.publish import PublishResult, Site, build_feeds, load_site, publish, render_entries, write_feeds

__all__ = [
    "Article",
    "Author",
    "ConfigError",
    "ContentError",
    "Entry",
    "FeedpubError",
    "OutputError",
    "Problem",
    "PublishResult",
    "Site",
    "SiteConfig",
    "WriteReport",
    "__version__",
    "build_feeds",
    "load_config",
    "load_site",
    "publish",
    "render_entries",
    "write_feeds",
]
