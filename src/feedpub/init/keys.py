"""What each key of feedpub.toml does, in one line, for the comments `feedpub init` writes.

The README's configuration table says more; a key added to the config without a line here is
still written (commented out, with its default), with a pointer to the README.
"""

from __future__ import annotations

__all__ = ["EXAMPLES", "HELP"]

HELP: dict[tuple[str, str], str] = {
    ("site", "title"): "The feeds' title. Required.",
    ("site", "url"): "The site's base URL; article URLs are made relative to it. Required.",
    ("site", "description"): "RSS description and Atom subtitle. Default: the title.",
    ("site", "language"): 'A language tag such as "en", "en-GB", "de". Default: "en".',
    ("site", "author"): "The feeds' author, for articles that name none. Default: none.",
    ("site", "timezone"): 'IANA time zone of dates written without one. Default: "UTC".',
    ("site", "feeds_url"): "Where the output folder is published. Default: <url>feeds/.",
    ("site", "icon"): "The feeds' image, a URL or a path on the site: JSON Feed icon, Atom logo. Default: none.",
    ("site", "favicon"): "Their small icon, alike: JSON Feed favicon, Atom icon. Default: none.",
    ("build", "articles"): 'The folder of the articles, relative to this file. Default: "articles".',
    ("build", "output"): 'The folder the feeds are written to. Default: "feeds".',
    ("build", "limit"): "The most items a feed holds. Default: 20.",
    (
        "build",
        "permalink",
    ): "An article's URL, relative to [site] url: {year} {month} {day} {slug} {name} {path} {dir}.",
    ("build", "slug_from"): 'Where a slug comes from when none is written: "file", "title" or "auto".',
    ("build", "lowercase_urls"): "Write the URLs the permalink makes in lower case, as Hugo does. Default: false.",
    ("build", "exclude"): "Glob patterns of files or folders under the articles folder to leave out. Default: none.",
    ("build", "ignore_keys"): "Front-matter keys the site uses for itself: no unknown-key warning. Default: none.",
    ("build", "excerpt_separator"): 'What ends a hand-made summary in a body. Default: "<!--more-->".',
    ("build", "summary_words"): "Where a summary taken from the first paragraph is cut. Default: 60.",
    ("build", "key_points_heading"): 'The heading over key_points in the content; "" for none.',
    ("build", "key_points_in_summary"): "Put the key points in the summary too. Default: false.",
    ("build", "markdown"): 'The Markdown of the bodies: "hugo", "jekyll", "eleventy", "pelican", "commonmark", '
    '"python-markdown" or "auto" (per file, as its generator). Default: "auto".',
    ("build", "smart"): "Typographic quotes, dashes and ellipses. Default: the preset's.",
    ("build", "raw_html"): "Keep raw HTML in Markdown (false: leave it out, as Hugo does). Default: the preset's.",
    ("build", "linkify"): "Bare URLs become links. Default: the preset's.",
    ("build", "tex_math"): "Keep $$ TeX math $$ as written. Default: the preset's.",
    ("build", "markdown_extensions"): "Python-Markdown extensions added to the pelican and python-markdown presets.",
    ("build", "ignore_tags"): "Template tags kept as written without a warning. Default: none.",
    ("build", "site_variables"): "Jekyll's {{ site.NAME }} values that posts print. Default: none.",
    ("build", "cache"): 'The build cache\'s folder; keep it out of version control. Default: ".feedpub-cache".',
    ("build", "formats"): 'Which feeds a build writes. Default: ["rss", "atom", "json"].',
    ("build", "since"): "Articles dated before this date stay out of the feeds. Default: none.",
    ("build", "tag_feeds"): "Also a feed per tag, under tags/<slug>/. Default: false.",
    ("build", "author_feeds"): "Also a feed per author, under authors/<slug>/. Default: false.",
    ("build", "archive_size"): "Items per archive page of the full history (archive/<n>/); 0 for none. Default: 100.",
    ("websub", "hub"): "A WebSub hub's URL, named by every feed; `feedpub build --ping` tells it. Default: none.",
}

# What a commented-out key shows when it has no default value of its own.
EXAMPLES: dict[tuple[str, str], object] = {
    ("site", "description"): "What the site is about, in a sentence.",
    ("site", "author"): "Your Name",
    ("site", "feeds_url"): "https://example.org/feeds/",
    ("site", "icon"): "/images/icon-512.png",
    ("site", "favicon"): "/favicon.ico",
    ("build", "smart"): True,
    ("build", "raw_html"): True,
    ("build", "linkify"): True,
    ("build", "tex_math"): True,
    ("build", "since"): "2026-01-01",
    ("websub", "hub"): "https://hub.example.org/",
}
