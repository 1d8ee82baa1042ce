"""RSS 2.0 and Atom 1.0 through feedgen: the only module that imports it (and lxml, its tree).

feedgen's sharp edges, handled here once:
- every FeedGenerator and FeedEntry dates itself "now" unless told otherwise: all dates are set;
- add_entry() prepends by default: entries are added with order="append";
- the last link() call becomes the RSS channel <link>: the home page is added last;
- authors with an e-mail become RSS <author> elements, several of which are invalid: RSS gets
  dc:creator names instead, and RSS and Atom are built from separate generators so that no
  choice made for one format leaks into the other;
- content(type="CDATA") would write an invalid Atom type: content is type "html", escaped;
- an entry's <link> loses its rel and type attributes (feedgen 1.0 reuses a loop variable);
  RFC 4287 reads a link without rel as rel="alternate", which is what it is;
- media:thumbnail goes into a media:group unless group=None, and a group of one is invalid;
- a processing instruction before the root (<?xml-stylesheet?>) is added to the tree feedgen
  serializes, by an extension, so that the rest of the bytes are feedgen's as without it;
- for RSS, enclosure() keeps one (RSS allows one per item); for Atom, the entry link's rel, type
  and length are lost (the loop variable again), so enclosures are links of an extension's own.

Characters beyond the Basic Multilingual Plane (emoji) are written as character references: Java's
XML readers fail on some of them otherwise (see `_astral_references`).

RSS plain-text elements (titles, categories, names, the channel description) cannot say whether
they hold text or HTML. The RSS Advisory Board's profile asks publishers to write "&" and "<"
there as hexadecimal character references, which readers decode like any other escape; lxml writes
`&amp;` and `&lt;`, so `_hex_references` rewrites them in those elements.
"""

from __future__ import annotations

import re
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedpub.feeds.spec import GENERATOR, Feed
from feedpub.model import Author, Enclosure

__all__ = ["atom", "rss"]


def rss(feed: Feed) -> bytes:
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    _links(generator, feed, atom=False)
    _stylesheet(generator, feed, atom=False)
    if any(entry.article.image for entry in feed.entries):
        generator.load_extension("media", atom=False, rss=True)
    generator.title(feed.title)
    generator.description(feed.description)
    generator.link(href=feed.self_url, rel="self", type="application/rss+xml")
    generator.link(href=feed.home_url, rel="alternate")
    generator.language(feed.language)
    if feed.icon:
        generator.image(url=feed.icon, title=feed.title, link=feed.home_url)
    generator.lastBuildDate(feed.updated)
    generator.generator(f"{GENERATOR} {feed.generator_version}")
    for entry in feed.entries:
        article = entry.article
        item = generator.add_entry(order="append")
        item.title(article.title)
        item.link(href=article.url)
        item.guid(article.id, permalink=article.id == article.url)
        item.published(article.date)
        item.updated(article.updated)
        for tag in article.tags:
            item.category(term=tag)
        if article.authors:
            item.dc.dc_creator([author.name for author in article.authors])
        if article.language:
            item.dc.dc_language(article.language)
        if article.image:
            item.media.thumbnail(url=article.image, group=None)
        if entry.enclosures:  # RSS allows one per item (the RSS Advisory Board's profile): the first
            first = entry.enclosures[0]
            item.enclosure(url=first.url, length=str(first.length or 0), type=first.type)
        item.summary(entry.summary_html)
        item.content(entry.content_html, type="html")
    xml: bytes = generator.rss_str(pretty=True, encoding="UTF-8")
    head, items, tail = xml.partition(b"<item>")
    return _astral_references(_hex_references(head, _CHANNEL_TEXT) + items + _hex_references(tail, _ITEM_TEXT))


def atom(feed: Feed) -> bytes:
    generator = FeedGenerator()
    # feedgen makes and calls every extension for every entry: those no entry needs are left out
    languages = any(entry.article.language for entry in feed.entries)
    enclosures = any(entry.enclosures for entry in feed.entries)
    if languages:
        generator.register_extension("lang", _NoFeedExtension, _EntryLanguage, atom=True, rss=False)
    if enclosures:
        generator.register_extension("enclosures", _NoFeedExtension, _EntryEnclosures, atom=True, rss=False)
    _stylesheet(generator, feed, atom=True)
    if any(entry.article.image for entry in feed.entries):
        generator.load_extension("media", atom=True, rss=False)
    generator.id(feed.id)
    generator.title(feed.title)
    generator.subtitle(feed.description)
    generator.link(href=feed.home_url, rel="alternate", type="text/html")
    generator.link(href=feed.self_url, rel="self", type="application/atom+xml")
    _links(generator, feed, atom=True)
    generator.language(feed.language)
    if feed.favicon:
        generator.icon(feed.favicon)
    if feed.icon:
        generator.logo(feed.icon)
    generator.updated(feed.updated)
    generator.author(name=feed.author.name)
    generator.generator(GENERATOR, version=feed.generator_version)
    for entry in feed.entries:
        article = entry.article
        item = generator.add_entry(order="append")
        item.id(article.id)
        item.title(article.title)
        item.updated(article.updated)
        item.published(article.date)
        item.link(href=article.url, rel="alternate", type="text/html")
        if languages:
            item.lang.language = article.language
        if enclosures:
            item.enclosures.enclosures = entry.enclosures
        if article.image:
            item.media.thumbnail(url=article.image, group=None)
        for author in article.authors:
            item.author(_person(author))
        for tag in article.tags:
            item.category(term=tag)
        if entry.summary_html:
            item.summary(entry.summary_html, type="html")
        if entry.content_html:
            item.content(entry.content_html, type="html")
    xml: bytes = generator.atom_str(pretty=True, encoding="UTF-8")
    return _astral_references(xml)


# The elements whose text RSS readers take as plain text; in items, <description> is HTML.
_ITEM_TEXT = re.compile(rb"(<(title|category|dc:creator)(?: [^>]*)?>)([^<]+)(</\2>)")
_CHANNEL_TEXT = re.compile(rb"(<(title|description|category|dc:creator)(?: [^>]*)?>)([^<]+)(</\2>)")


# A character beyond the Basic Multilingual Plane (an emoji, say) is four bytes of UTF-8; Xerces-J's
# UTF-8 reader, which Java feed readers and jing use, fails on one that straddles its 8 KiB buffer
# ("Invalid byte 2 of 4-byte UTF-8 sequence"). As a character reference it is the same XML, in ASCII.
_ASTRAL = re.compile(rb"[\xf0-\xf4][\x80-\xbf]{3}")


def _astral_references(xml: bytes) -> bytes:
    """Each four-byte character as a character reference (lxml writes only text and attribute values
    with such characters, where a reference means the same; feeds hold no CDATA or comments)."""
    if any(lead in xml for lead in _RARE_LEADS):
        return _ASTRAL.sub(lambda match: b"&#x%X;" % ord(match[0].decode("utf-8")), xml)
    # Emoji and most other such characters start with byte F0, which UTF-8 uses for nothing else:
    # splitting there finds them some ten times faster than the pattern, which tries every byte.
    first, *rest = xml.split(b"\xf0")
    parts = [first]
    for part in rest:
        parts += (b"&#x%X;" % ord((b"\xf0" + part[:3]).decode("utf-8")), part[3:])
    return b"".join(parts)


_RARE_LEADS = (b"\xf1", b"\xf2", b"\xf3", b"\xf4")  # the other lead bytes of four-byte characters


def _hex_references(xml: bytes, elements: re.Pattern[bytes]) -> bytes:
    def encode(match: re.Match[bytes]) -> bytes:
        text = match[3].replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")
        return match[1] + text + match[4]

    return elements.sub(encode, xml)


class _NoFeedExtension(BaseExtension):  # type: ignore[misc]
    """feedgen wants a feed-level class for every extension; the language is per entry."""


class _EntryLanguage(BaseEntryExtension):  # type: ignore[misc]
    """xml:lang on an Atom <entry> in another language than the feed (feedgen has no setter)."""

    def __init__(self) -> None:
        self.language: str | None = None

    def extend_atom(self, entry: Any) -> Any:
        if self.language:
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", self.language)
        return entry


def _links(generator: FeedGenerator, feed: Feed, atom: bool) -> None:
    """WebSub's link rel="hub" and RFC 5005's links and fh:archive (in RSS, atom:link elements, which
    feedgen writes only for rel="self", as RFC 5005's appendix B says)."""
    links = feed.links()
    if atom:
        for rel, href in links:
            generator.link(href=href, rel=rel)
    if (links and not atom) or feed.archive:
        generator.register_extension("links", _ChannelLinks, _NoEntryExtension, atom=atom, rss=not atom)
        generator.links.links = () if atom else tuple(links)
        generator.links.archive = feed.archive


_HISTORY = "http://purl.org/syndication/history/1.0"


def _stylesheet(generator: FeedGenerator, feed: Feed, atom: bool) -> None:
    if feed.stylesheet is not None:
        generator.register_extension("stylesheet", _Stylesheet, _NoEntryExtension, atom=atom, rss=not atom)
        generator.stylesheet.href = feed.stylesheet


class _Stylesheet(BaseExtension):  # type: ignore[misc]
    """<?xml-stylesheet type="text/xsl" href="..."?> right after the XML declaration (W3C's "Associating
    Style Sheets with XML documents"): a sibling before the root, which feedgen serializes with its tree."""

    def __init__(self) -> None:
        self.href = ""

    def _add(self, root: Any) -> Any:
        instruction = etree.ProcessingInstruction("xml-stylesheet", 'type="text/xsl"')
        instruction.set("href", self.href)  # lxml writes the pseudo-attribute, quoted (refusing '"' and '>')
        instruction.text = instruction.text.strip()  # set() leaves two blanks after the target
        root.addprevious(instruction)
        return root

    extend_rss = extend_atom = _add


class _ChannelLinks(BaseExtension):  # type: ignore[misc]
    """RSS's atom:link elements other than rel="self"; fh:archive in RSS and Atom."""

    def __init__(self) -> None:
        self.links: tuple[tuple[str, str], ...] = ()
        self.archive = False

    def extend_rss(self, rss: Any) -> Any:
        channel = rss.find("channel")
        for rel, href in self.links:
            etree.SubElement(channel, "{http://www.w3.org/2005/Atom}link", rel=rel, href=href)
        if self.archive:
            etree.SubElement(channel, f"{{{_HISTORY}}}archive")
        return rss

    def extend_atom(self, feed: Any) -> Any:
        if self.archive:
            etree.SubElement(feed, f"{{{_HISTORY}}}archive")
        return feed

    def extend_ns(self) -> dict[str, str]:
        namespaces = {"atom": "http://www.w3.org/2005/Atom"} if self.links else {}
        return namespaces | ({"fh": _HISTORY} if self.archive else {})


class _NoEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """feedgen wants an entry class for every extension; hubs are the feed's."""


class _EntryEnclosures(BaseEntryExtension):  # type: ignore[misc]
    """Atom's link rel="enclosure" (feedgen 1.0 drops an entry link's rel, type and length)."""

    def __init__(self) -> None:
        self.enclosures: tuple[Enclosure, ...] = ()

    def extend_atom(self, entry: Any) -> Any:
        for enclosure in self.enclosures:
            # As feedgen makes its own Atom elements: without a namespace, which its root declares as
            # an attribute. One in the Atom namespace would be written with a prefix of lxml's, ns0:link,
            # which the W3C validator warns of ("Avoid Namespace Prefix").
            link = etree.SubElement(entry, "link")
            link.set("rel", "enclosure")
            link.set("href", enclosure.url)
            link.set("type", enclosure.type)
            if enclosure.length is not None:
                link.set("length", str(enclosure.length))
        return entry


def _person(author: Author) -> dict[str, str]:
    fields = {"name": author.name, "email": author.email, "uri": author.url}
    return {key: value for key, value in fields.items() if value}
