"""Front matter in, `Article` values out; pure.

Jekyll, Hugo, Pelican, Eleventy and CMS exports name the same things differently. FIELDS maps
every name feedpub understands onto one field of the article model (first name found wins);
keys are matched case-insensitively, with "-" read as "_", as Hugo does. The README shows the
same table.
"""

from __future__ import annotations

import difflib
import functools
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urljoin

from feedpub.config import SiteConfig
from feedpub.errors import LineError, Problem
from feedpub.model import Article, Source, as_uri, fetched, url_error
from feedpub.read.fields import Fields
from feedpub.read.frontmatter import HTML_SUFFIXES, split
from feedpub.render.presets import choose

__all__ = ["FIELDS", "GENERATOR_KEYS", "check_duplicates", "parse_article", "parse_articles", "slugify", "title_slug"]

FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "publishdate", "pubdate", "published", "lastmod", "modified"),  # Hugo's chain
    "updated": ("updated", "lastmod", "modified", "last_modified_at", "last_modified", "updated_at"),
    "summary": ("summary", "standfirst", "excerpt", "description"),
    "tags": ("tags", "keywords", "categories", "category"),
    "authors": ("author", "authors"),
    "draft": ("draft", "published", "status"),
    "publish_date": ("publishdate", "pubdate", "published", "publish_date"),
    "expiry_date": ("expirydate", "unpublishdate", "expiry_date", "expires"),
    "slug": ("slug",),
    "url": ("url", "permalink"),
    "id": ("id", "guid"),
    "language": ("lang", "language"),
    "image": ("image",),
    "enclosures": ("enclosures", "enclosure"),
    "key_points": ("key_points", "keypoints"),
    "body_html": ("body_html",),
}
# Keys of the generators that mean nothing in a feed: kept out of it without a warning.
GENERATOR_KEYS = frozenset(
    [
        "layout",
        "weight",
        "menu",
        "menus",
        "aliases",
        "type",
        "comments",
        "share",
        "toc",
        "featured",
        "series",
        "hidden",
        "sitemap",
        "redirect",
        "redirect_to",
        "redirect_from",
        "outputs",
        "build",
        "cascade",
        "linktitle",
        "headless",
        "translationkey",
        "iscjklanguage",
        "markup",
        "resources",
        "sidebar",
        "template",
        "save_as",
        "subtitle",
        "math",
        "mathjax",
        "katex",
        "excerpt_separator",
        "images",
        "cover",
        "thumbnail",
        "header",
        "feature",
        "featured_image",
        "og_image",
        "canonical_url",
        "show_reading_time",
        "showtoc",
        "tocopen",
        "disable_comments",
        "nocomments",
        "robots",
        "noindex",
        "private",
        "author_profile",
        "related",
        "read_time",
        "readingtime",
        "eleventyexcludefromcollections",
        "permalinkpattern",
        "modified_by",
        "translation",
        "translations",
        "summary_image",
        "twitter",
        "params",
    ]
)
KNOWN_KEYS = frozenset(name for names in FIELDS.values() for name in names) | GENERATOR_KEYS

_SLUG_OK = re.compile(r"[\w.~-]+")
_DATE_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})[-_](.+)")  # Jekyll's 2026-01-05-x, Pelican sites' 2026-01-05_x
_JEKYLL_PREFIX = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})-(.+)")  # Jekyll also takes 2016-1-5-x (Eleventy does not)
_REDIRECT_KEYS = frozenset({"redirect", "redirect_to", "aliases"})
# A file that is nothing but an HTML redirect, as blogs leave behind when they move (no front matter).
_META_REFRESH = re.compile(r"""\ufeff?\s*<meta\s[^>]*http-equiv\s*=\s*["']?refresh\b[^>]*>\s*""", re.I)
# The keys an article's identity comes from, as Article.key_lines names them.
_IDENTITY_KEYS = (("id", "id"), ("url", "url"), ("slug", "slug"), ("date", "date"))
_STATUS = {"draft": True, "hidden": True, "private": True, "published": False, "publish": False, "": False}


def parse_articles(sources: Iterable[Source], config: SiteConfig) -> tuple[list[Article], list[Problem]]:
    """Parse every source; problems (errors, warnings, notes) of all of them, duplicates included."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for source in sources:
        article, found = parse_article(source, config)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    return articles, problems + check_duplicates(articles, config)


def check_duplicates(articles: list[Article], config: SiteConfig) -> list[Problem]:
    """One error for each pair of articles with the same URL or id, naming both files."""
    # Slugs may repeat (a yearly "council-budget-vote", a weekly "this-week"); ids and URLs may not.
    # A pair with the same URL usually has the same id too: the URL's message says how to fix both.
    reported: set[tuple[int, int]] = set()
    return [
        *_duplicates(articles, "URL", ("url", "slug"), reported, lambda a, b: _separate(a, b, config)),
        *_duplicates(articles, "id", ("id", "slug", "date"), reported, lambda a, b: "another 'id'"),
    ]


@functools.lru_cache(maxsize=1024)  # a site's own keys come back in every post: 170 µs of difflib each time
def _unknown_key(key: str) -> str:
    """The warning for a front-matter key feedpub does not know: a guess at the key meant, or how to silence it."""
    guess = difflib.get_close_matches(key, _KNOWN_IN_ORDER, n=1, cutoff=0.75)
    if guess:
        return f"unknown key; did you mean '{guess[0]}'?"
    return "unknown key; it is left out of the feed (add it to [build] ignore_keys if the site uses it on purpose)"


_KNOWN_IN_ORDER = sorted(KNOWN_KEYS)


def parse_article(source: Source, config: SiteConfig) -> tuple[Article | None, list[Problem]]:
    """One article from its text; None when it has errors (all of them are returned) or is no article."""
    path = source.path
    suffix = path.suffix.lower()
    html = suffix in HTML_SUFFIXES
    try:
        front = split(source.text, suffix)
    except LineError as error:
        if _META_REFRESH.fullmatch(source.text):
            return None, [
                Problem(path, None, "a redirect page (an HTML meta refresh), not an article; skipped", "note")
            ]
        if error.message.startswith("no front matter"):
            if html:  # generators copy an HTML file without front matter as it is: a page, not a post
                return None, [Problem(path, None, "an HTML file without front matter, not an article; skipped", "note")]
            if "_posts" in path.parts and not _JEKYLL_PREFIX.fullmatch(path.stem):
                note = "in a Jekyll _posts folder, a file with no date in its name and no front matter; skipped"
                return None, [Problem(path, None, note, "note")]
        return None, [Problem(path, error.line, error.message)]
    problems = [Problem(path, line, message, "warning") for line, message in front.warnings]
    jekyll = "_posts" in path.parts
    # Jekyll reads an unquoted YAML timestamp without a zone (2003-04-11 17:19:00) as UTC, as YAML does.
    fields = Fields(
        path, front, config.timezone, problems, UTC if jekyll and front.dialect == "yaml" else None, ruby_dates=jekyll
    )
    if _is_redirect_stub(fields):
        return None, [Problem(path, None, "a redirect page, not an article; skipped", "note")]

    for key in fields.keys:
        if key not in KNOWN_KEYS and key not in config.ignore_keys:
            fields.warn(fields.original(key), _unknown_key(key) if len(key) <= 100 else _unknown_key.__wrapped__(key))

    title = fields.text(FIELDS["title"], required=True)
    date = fields.date(FIELDS["date"], required=False)
    stem = path.parent.name if path.stem.lower() in ("index", "_index") else path.stem
    prefix = (_JEKYLL_PREFIX if jekyll else _DATE_PREFIX).fullmatch(stem)
    dated = fields.has(FIELDS["date"])
    if not dated and prefix is not None:
        date = fields.date_text(prefix[1], f"the date {prefix[1]} in the file name")
    draft = _draft(fields)
    if not dated and prefix is None:
        if draft:  # Hugo drafts often have `date:` left empty; a draft is never in a feed anyway
            note = "a draft without a date; skipped (give it a date to preview it with --drafts)"
            return None, [*problems, Problem(path, None, note, "note")]
        if path.name.lower() in ("_index.md", "_index.markdown"):  # a leaf section: a page unless dated
            note = "a Hugo section page without a date, not an article; skipped"
            return None, [*problems, Problem(path, None, note, "note")]
        fields.missing("date", "date: YYYY-MM-DD")
    updated = fields.date(FIELDS["updated"])
    publish_date = fields.date(FIELDS["publish_date"])
    expiry_date = fields.date(FIELDS["expiry_date"])
    summary = fields.text(FIELDS["summary"])
    slug = fields.text(FIELDS["slug"], strict=True)
    explicit_url = fields.text(FIELDS["url"])
    explicit_id = fields.text(FIELDS["id"])
    language = fields.text(FIELDS["language"])
    image = fields.text(FIELDS["image"])
    enclosures = fields.enclosures(FIELDS["enclosures"])
    authors = fields.authors(FIELDS["authors"])
    # Jekyll, and only Jekyll, splits the text of its plural keys at blanks; its posts live in `_posts`.
    tags = fields.words(FIELDS["tags"], blank_separated=("tags", "categories") if jekyll else ())
    key_points = fields.lines(FIELDS["key_points"])
    body_html = fields.text(FIELDS["body_html"]) if front.dialect == "document" else None
    body = fields.clean(front.body, front.body_line, "the body")

    if slug is not None and (not _SLUG_OK.fullmatch(slug) or slug in (".", "..")):
        fields.error(FIELDS["slug"], f"'{slug}' cannot be part of a URL; use letters, digits, '-', '_', '.' and no '/'")
    if explicit_id is not None and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S+$", explicit_id):
        fields.error(
            FIELDS["id"], f"'{explicit_id}' is not a URI; feeds need one, e.g. 'tag:{config.host},2026:{explicit_id}'"
        )
    if language is not None and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", language):
        fields.error(FIELDS["language"], f"'{language}' is not a language tag; write one like 'en', 'de' or 'pt-BR'")
    unreadable_image = url_error(image) if image is not None else None
    if unreadable_image is not None:
        fields.error(FIELDS["image"], f"'{image}' is not a URL ({unreadable_image}); write it like '/images/photo.jpg'")
    elif image is not None and not fetched(image):  # a data: URI, a "C:" path, a file named "a:b.jpg"
        fields.error(FIELDS["image"], f"'{image}' is no http(s) URL or path on the site; write it like '/images/a.jpg'")
    if explicit_url is not None and not _url_ok(explicit_url):
        fields.error(FIELDS["url"], f"'{explicit_url}' is not a URL or a path; write it like '/notes/my-post/'")
    if any(p.severity == "error" for p in problems) or title is None or date is None:
        return None, problems
    if updated is not None and updated < date:
        fields.warn(fields.first(FIELDS["updated"]), "is earlier than the date; the feed uses the date as updated")
        updated = None

    if html:
        body_html = body
    text = body_html if body_html is not None else body
    if not text.strip() and not (summary or "").strip() and not key_points:
        message = "has no body and no summary, so its feed item would be a bare title; write some text"
        problems.append(Problem(path, front.body_line, message, "warning"))

    folder, name = _place(path, config.articles)
    undated_name = prefix[2] if prefix else stem
    # Pelican makes a slug of the title (SLUGIFY_SOURCE = "title"); the others of the file name.
    from_title = config.slug_from == "title" or (config.slug_from == "auto" and front.dialect == "headers")
    names = {
        "slug": slug or (title_slug(title) if from_title else "") or slugify(undated_name),
        "name": slug or undated_name,  # as written: Jekyll's :title, Eleventy's fileSlug
        "path": slug or name,  # an explicit slug replaces the file name, as in Hugo
    }
    slug = names["slug"]
    url = urljoin(config.url, as_uri(explicit_url)) if explicit_url else _permalink(config, date, folder, names)
    preset = choose(config.markdown, path, front.dialect)
    if preset in _HTML_TITLES and ("&" in title or "<" in title):
        from feedpub.render.markup import plain_text  # (the HTML parser: imported by the titles that need it)

        title = plain_text(title) or title
    # An article in a folder is told apart by the folder, when the URL pattern does: two sections
    # may each have a post of the same slug on the same day.
    named = "/".join([*map(slugify, folder.split("/")), slug]) if folder and _uses_folder(config.permalink) else slug
    article = Article(
        path=path,
        title=title,
        date=date,
        updated=updated or date,
        slug=slug,
        url=url,
        id=explicit_id or f"tag:{config.host},{date.date().isoformat()}:{_tag_part(named)}",
        summary=summary,
        body=text,
        body_line=front.body_line,
        authors=authors,
        tags=tags,
        draft=draft,
        publish_date=publish_date if publish_date is not None and publish_date > date else None,
        expiry_date=expiry_date,
        key_points=key_points,
        language=language,
        image=urljoin(url, as_uri(image)) if image else None,
        enclosures=tuple(replace(enclosure, url=urljoin(url, as_uri(enclosure.url))) for enclosure in enclosures),
        body_is_html=body_html is not None,
        markdown=preset,
        key_lines=tuple(
            (name, fields.line(fields.first(FIELDS[key]))) for name, key in _IDENTITY_KEYS if fields.has(FIELDS[key])
        ),
    )
    return article, problems


def _is_redirect_stub(fields: Fields) -> bool:
    """Front matter holding only a redirect (Jekyll's redirect_to, Hugo's aliases) and no title."""
    return not fields.has(FIELDS["title"]) and bool(set(fields.keys) & _REDIRECT_KEYS)


def _draft(fields: Fields) -> bool:
    """`draft: true`, `published: false` (Jekyll) or `status: draft` / `hidden` (Pelican)."""
    draft = fields.flag("draft")
    published = fields.value("published")
    if isinstance(published, bool):
        draft = draft or not published
    elif isinstance(published, str) and published.strip().lower() in ("false", "no"):
        draft = True
    status = fields.value("status")
    if status is not None:
        word = str(status).strip().lower()
        if word not in _STATUS:
            fields.error(("status",), f"'{status}' is not a status; write draft, hidden or published")
        draft = draft or _STATUS.get(word, False)
    return draft


def _url_ok(value: str) -> bool:
    spaced = any(char.isspace() or char == "\\" for char in value)
    return not spaced and not value.startswith("//") and url_error(value) is None


def slugify(stem: str) -> str:
    """A URL slug from a file name: lower case, words joined by '-', letters of any script kept."""
    text = unicodedata.normalize("NFC", stem).lower()
    text = re.sub(r"[^\w.~-]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-.") or "article"


def _place(path: Path, root: Path) -> tuple[str, str]:
    """The article's folder under the articles folder ("" at the top) and its name in that folder.

    The name is the file name without its extension; a page bundle's is its folder's name.
    """
    parts, top = path.parts, root.parts  # Path.relative_to's test, on parts each Path holds already
    inside = len(parts) > len(top) and parts[: len(top)] == top and path.is_absolute() == root.is_absolute()
    relative = parts[len(top) :] if inside else (path.name,)  # else: a source handed in from elsewhere
    stem = path.stem  # (relative[-1] is the file's name, inside the folder or not)
    if stem.lower() in ("index", "_index") and len(relative) > 1:
        relative, stem = relative[:-1], relative[-2]
    return "/".join(relative[:-1]), stem


def _uses_folder(pattern: str) -> bool:
    return "{dir}" in pattern or "{path}" in pattern


# The generators whose templates write a title as HTML (Liquid, and Jinja as Pelican sets it up, do not
# escape): "&ldquo;" or "<em>" in a title reads as a quotation mark or italics on the site, so the
# feeds' title is the text a reader sees. Hugo's templates escape a title: it is text as written.
_HTML_TITLES = frozenset({"jekyll", "eleventy", "pelican"})


def _tag_part(named: str) -> str:
    """A tag id's last part (RFC 4151) from a slug: the letters outside ASCII that a slug may hold
    (`wörld`, `日記`) percent-encoded as UTF-8, as a URI must hold them (`w%C3%B6rld`)."""
    return named if named.isascii() else quote(named)


def title_slug(title: str) -> str:
    """A slug made of a title as Pelican makes it: ASCII letters, digits, "_" and "-", lower case.

    Pelican transliterates with unidecode; here letters with accents lose them (é → e) and other
    scripts are dropped, so a title with no Latin letters gives "" (the file name is used then).
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip()
    return re.sub(r"[-\s]+", "-", text).lower()


def _permalink(config: SiteConfig, date: datetime, folder: str, names: dict[str, str]) -> str:
    local = date.astimezone(config.timezone)
    values = {
        "year": lambda: f"{local.year:04d}",
        "month": lambda: f"{local.month:02d}",
        "day": lambda: f"{local.day:02d}",
        "slug": lambda: quote(names["slug"]),
        "name": lambda: quote(names["name"]),
        "dir": lambda: quote(folder),
        "path": lambda: quote(f"{folder}/{names['path']}" if folder else names["path"]),
    }
    path = config.permalink.format_map({name: values[name]() for name in _placeholders(config.permalink)})
    if "//" in path:  # an empty {dir} leaves "//" behind: empty segments collapse, as in the generators
        path = re.sub(r"/{2,}", "/", path)
    path = path.lstrip("/")
    return urljoin(config.url, path.lower() if config.lowercase_urls else path)


@functools.cache
def _placeholders(pattern: str) -> frozenset[str]:
    """The fields a permalink pattern uses (the configuration has checked it)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(pattern) if name)


def _separate(first: Article, second: Article, config: SiteConfig) -> str:
    """What would give two articles of one URL a URL each: a placeholder they differ by, or a slug."""
    pattern = config.permalink
    if "url" in dict(first.key_lines) or "url" in dict(second.key_lines):
        return "another 'url'"
    one, two = (article.date.astimezone(config.timezone) for article in (first, second))
    folders = {_place(article.path, config.articles)[0] for article in (first, second)}
    for field, differs in (
        ("year", one.year != two.year),
        ("month", (one.year, one.month) != (two.year, two.month)),
        ("day", one.date() != two.date()),
        ("dir", len(folders) > 1),
    ):
        if differs and f"{{{field}}}" not in pattern and not (field == "dir" and "{path}" in pattern):
            return f"another 'slug', or add {{{field}}} to [build] permalink (they differ by {field})"
    return "another 'slug' or 'url'"


def _duplicates(
    articles: list[Article],
    what: str,
    keys: tuple[str, ...],
    reported: set[tuple[int, int]],
    fix: Callable[[Article, Article], str],
) -> list[Problem]:
    """One error per pair of articles sharing an id or a URL (a pair already reported is not again).

    The message names both files, each at the line of the key that made the value (`keys`, in order).
    """
    first: dict[str, int] = {}
    problems = []
    for index, article in enumerate(articles):
        value = article.id if what == "id" else article.url
        if value not in first:
            first[value] = index
        elif (first[value], index) not in reported:
            reported.add((first[value], index))
            other = articles[first[value]]
            message = f"has the same {what} as {{0}} ({value}); give one of them {fix(other, article)}"
            problems.append(
                Problem(article.path, article.line_of(*keys), message, others=((other.path, other.line_of(*keys)),))
            )
    return problems
