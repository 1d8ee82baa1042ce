"""The HTML page beside the feeds (`index.html`, `[build] html_page`): for a person who opens the feeds'
folder in a browser. It says what a feed is and how to subscribe, lists every feed's address (with a
copy button), and shows the newest items as the subscription feeds carry them; pure.

Plain HTML and CSS, readable without JavaScript (a few inline lines only show the copy buttons, where
the browser can copy); light or dark as the reader's system is. Like the feeds, the same input gives
the same bytes: no build time, no version, dates written without the locale's help. Every text and
attribute is escaped; the summaries are the feeds' own HTML, already cleaned (render/clean.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape

from feedpub.config import SiteConfig
from feedpub.feeds.links import LABELS, FeedLink, feed_links, head_tags
from feedpub.feeds.topics import Topic
from feedpub.model import Author, Entry, person

__all__ = ["GENERATOR_MARK", "html_page", "readable_date"]

#: What the page's <head> carries, so that a build knows an index.html for its own (build/page.py).
GENERATOR_MARK = '<meta name="generator" content="feedpub">'

_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)

_STYLE = """\
:root { color-scheme: light dark; --text: #1d1d1f; --back: #fdfdfd; --muted: #5a5a60; --line: #d8d8de;
  --box: #f1f3f7; --link: #0b57d0; }
@media (prefers-color-scheme: dark) {
  :root { --text: #e8e8ea; --back: #16171a; --muted: #a4a4ac; --line: #3a3b40; --box: #23252b; --link: #8ab4f8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--back); color: var(--text); font: 1.05rem/1.6 system-ui, -apple-system,
  "Segoe UI", Roboto, sans-serif; }
.page { max-width: 44rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
a { color: var(--link); }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .5rem 0; }
h2 { font-size: 1.35rem; margin: 2rem 0 .6rem; }
h3 { font-size: 1.1rem; margin: 0 0 .2rem; }
.lead { color: var(--muted); margin-top: 0; }
.feeds { list-style: none; padding: 0; margin: 0; }
.feeds li { background: var(--box); border-radius: .5rem; padding: .55rem .75rem; margin: .45rem 0; }
.feeds .format { font-weight: 600; display: block; }
.url { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.url code { font: .92rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all;
  user-select: all; }
button { font: inherit; font-size: .85rem; padding: .15rem .6rem; border: 1px solid var(--line); border-radius: .35rem;
  background: var(--back); color: var(--text); cursor: pointer; }
.topics { padding-left: 1.2rem; }
.topics li { margin: .25rem 0; }
.item { border-top: 1px solid var(--line); padding: .9rem 0 .3rem; }
.meta { color: var(--muted); font-size: .92rem; margin: 0 0 .4rem; }
.summary img, .summary video { max-width: 100%; height: auto; }
.summary pre { overflow-x: auto; }
footer { color: var(--muted); font-size: .9rem; margin-top: 2.5rem; }
"""

# Shows the copy buttons (hidden without JavaScript, where they could do nothing) and copies on a click.
_SCRIPT = """\
if (navigator.clipboard) {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(button.dataset.copy).then(() => { button.textContent = "Copied"; });
    });
  }
}
"""

_EXPLAINED = (
    "A feed is a list of a site's newest articles that a feed reader (an app or a web service such as "
    "NetNewsWire, Feedly, Inoreader, Thunderbird or Miniflux) checks for you, so that you see what is new "
    "without visiting. To subscribe, copy one of the addresses below and paste it into your reader's "
    "&ldquo;add feed&rdquo; or &ldquo;subscribe&rdquo; box. The formats hold the same articles: take the "
    "first one your reader accepts."
)


def html_page(config: SiteConfig, entries: Sequence[Entry], topics: Iterable[Topic] = ()) -> bytes:
    """index.html: the site's feeds (the main ones, then each topic's) and `entries`, the newest items."""
    main = feed_links(config)
    grouped = _topic_groups(feed_links(config, topics)[len(main) :])
    parts = [
        "<!DOCTYPE html>\n",
        f'<html lang="{escape(config.language)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"{GENERATOR_MARK}\n",
        f"<title>{escape(config.title)}: feeds</title>\n",
        f'<meta name="description" content="{escape(config.description)}">\n',
        head_tags(main),
        f'<style>\n{_STYLE}</style>\n</head>\n<body>\n<div class="page">\n<header>\n',
        f"<h1>{escape(config.title)}</h1>\n",
        f'<p class="lead">{escape(config.description)}</p>\n' if config.description != config.title else "",
        f'<p><a href="{escape(config.url)}">{escape(config.url)}</a></p>\n</header>\n<main>\n',
        f'<section id="subscribe">\n<h2>Subscribe</h2>\n<p>{_EXPLAINED}</p>\n<ul class="feeds">\n',
        *(_feed_item(link) for link in main),
        "</ul>\n</section>\n",
        *(_topic_section(kind, rows) for kind, rows in grouped),
        '<section id="newest">\n<h2>Newest articles</h2>\n',
        *(_entry(config, entry) for entry in entries),
        "" if entries else "<p>No articles yet.</p>\n",
        "</section>\n</main>\n",
        "<footer><p>Feeds and page made by feedpub.</p></footer>\n",
        f"</div>\n<script>\n{_SCRIPT}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts).encode("utf-8")


def readable_date(moment: datetime) -> str:
    """ "14 March 2026, 09:30 (+01:00)": the same whatever the machine's locale."""
    offset = moment.strftime("%z")
    zone = "UTC" if offset in ("", "+0000") else f"{offset[:3]}:{offset[3:5]}"
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M} ({zone})"


def _feed_item(link: FeedLink) -> str:
    url = escape(link.url)
    return (
        f'<li><span class="format">{LABELS[link.format]}</span>\n'
        f'<span class="url"><code>{url}</code> <button type="button" data-copy="{url}" hidden>Copy</button></span>'
        "</li>\n"
    )


def _topic_groups(links: list[FeedLink]) -> list[tuple[str, list[tuple[str, list[FeedLink]]]]]:
    """The topics' links by kind ("tags", then "authors"), each topic's together, in the order given."""
    groups: dict[str, dict[str, list[FeedLink]]] = {}
    for link in links:
        assert link.kind is not None and link.name is not None
        groups.setdefault(link.kind, {}).setdefault(link.name, []).append(link)
    return [(kind, list(groups[kind].items())) for kind in ("tags", "authors") if kind in groups]


def _topic_section(kind: str, rows: list[tuple[str, list[FeedLink]]]) -> str:
    heading = {"tags": "Feeds by tag", "authors": "Feeds by author"}[kind]
    lines = [f'<section id="{kind}">\n<h2>{heading}</h2>\n<ul class="topics">\n']
    for name, links in rows:
        anchors = " · ".join(f'<a href="{escape(link.url)}">{LABELS[link.format]}</a>' for link in links)
        lines.append(f"<li>{escape(name)}: {anchors}</li>\n")
    lines.append("</ul>\n</section>\n")
    return "".join(lines)


def _entry(config: SiteConfig, entry: Entry) -> str:
    article = entry.article
    authors = article.authors or ((person(config.author),) if config.author else ())
    by = ", ".join(_author(author) for author in authors)
    return (
        '<article class="item">\n'
        f'<h3><a href="{escape(article.url)}">{escape(article.title)}</a></h3>\n'
        f'<p class="meta"><time datetime="{article.date.isoformat()}">{readable_date(article.date)}</time>'
        f"{' · ' + by if by else ''}</p>\n"
        f'<div class="summary">{entry.summary_html}</div>\n'
        "</article>\n"
    )


def _author(author: Author) -> str:
    if author.url:
        return f'<a href="{escape(author.url)}">{escape(author.name)}</a>'
    return escape(author.name)
