"""`feedpub check --feeds`: the feeds a build would write, checked as validators check them.

- Atom against RFC 4287's RELAX NG schema (Appendix B, shipped in `schemas/atom.rng`);
- RSS against the RSS 2.0 specification and the RSS Advisory Board's profile: a channel title,
  link and description; an `atom:link rel="self"`; every item with a title or a description, a
  guid and an RFC 822 pubDate; an enclosure with a URL, a length and a type;
- JSON Feed against version 1.1: version, title and items; every item with an id, content,
  absolute URLs and RFC 3339 dates.

Problems are `feed:line: error: ...`, the line being the feed file's (when the check can tell).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from importlib.resources import files
from pathlib import Path

from lxml import etree

from feedpub.errors import Problem
from feedpub.feeds.spec import large_feed

__all__ = ["check_feeds"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_schema: etree.RelaxNG | None = None


def check_feeds(feeds: Mapping[str, bytes], folder: Path) -> list[Problem]:
    """Every problem of the feed files (name -> bytes) that would be written into `folder`."""
    problems: list[Problem] = []
    for name, data in feeds.items():
        path = folder / name
        large = large_feed(path, name, len(data))
        if large is not None:
            problems.append(large)
        if name.endswith("atom.xml"):
            problems += _atom(path, data)
        elif name.endswith("rss.xml"):
            problems += _rss(path, data)
        elif name.endswith("feed.json"):
            problems += _json(path, data)
    return problems


def _atom(path: Path, data: bytes) -> list[Problem]:
    global _schema
    if _schema is None:
        schema = files("feedpub.feeds").joinpath("schemas/atom.rng").read_bytes()
        _schema = etree.RelaxNG(etree.fromstring(schema))
    document = etree.fromstring(data)
    if _schema.validate(document):
        return []
    return [Problem(path, error.line, f"not valid Atom (RFC 4287): {error.message}") for error in _schema.error_log]


def _rss(path: Path, data: bytes) -> list[Problem]:
    root = etree.fromstring(data)
    problems: list[Problem] = []

    def problem(element: etree._Element, message: str) -> None:
        problems.append(Problem(path, element.sourceline, f"not valid RSS 2.0: {message}"))

    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        problem(root, 'the root must be <rss version="2.0"> holding a <channel>')
        return problems
    for required in ("title", "link", "description"):
        if not (channel.findtext(required) or "").strip():
            problem(channel, f"the channel has no <{required}>")
    if not any(link.get("rel") == "self" for link in channel.findall(f"{_ATOM}link")):
        problem(channel, 'the channel has no atom:link rel="self" (the RSS Advisory Board\'s profile asks for one)')
    for item in channel.findall("item"):
        if not (item.findtext("title") or item.findtext("description") or "").strip():
            problem(item, "an item has neither a title nor a description")
        if not (item.findtext("guid") or "").strip():
            problem(item, "an item has no <guid>")
        date = item.find("pubDate")
        if date is not None:
            try:
                moment = parsedate_to_datetime(date.text or "")
            except (TypeError, ValueError):
                moment = None
            if moment is None or moment.tzinfo is None:
                problem(date, f"pubDate {date.text!r} is not an RFC 822 date with a zone")
        enclosures = item.findall("enclosure")
        if len(enclosures) > 1:
            problem(enclosures[1], "an item has more than one <enclosure> (the profile allows one)")
        for enclosure in enclosures:
            if not all(enclosure.get(key) for key in ("url", "length", "type")):
                problem(enclosure, "an <enclosure> needs url, length and type")
    return problems


def _json(path: Path, data: bytes) -> list[Problem]:
    try:
        document = json.loads(data)
    except ValueError as error:
        return [Problem(path, getattr(error, "lineno", None), f"not JSON: {error}")]
    lines = data.decode("utf-8").splitlines()

    def problem(key: str, message: str) -> Problem:
        line = next((number for number, text in enumerate(lines, start=1) if f'"{key}"' in text), None)
        return Problem(path, line, f"not valid JSON Feed 1.1: {message}")

    found: list[Problem] = []
    if not isinstance(document, dict) or document.get("version") != "https://jsonfeed.org/version/1.1":
        return [
            problem("version", 'the top level must be an object with "version": "https://jsonfeed.org/version/1.1"')
        ]
    if not isinstance(document.get("title"), str) or not document["title"]:
        found.append(problem("title", "no title"))
    items = document.get("items")
    if not isinstance(items, list):
        return [*found, problem("items", '"items" must be a list')]
    for item in items:
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str) or not ident:
            found.append(problem("items", "an item has no id"))
            continue
        if "content_html" not in item and "content_text" not in item:
            found.append(problem(ident, f"item {ident} has neither content_html nor content_text"))
        for key in ("url", "image", "external_url"):
            if key in item and not str(item[key]).startswith(("https://", "http://")):
                found.append(problem(ident, f"item {ident}: {key} {item[key]!r} is not an absolute URL"))
        for key in ("date_published", "date_modified"):
            if key in item:
                try:
                    moment = datetime.fromisoformat(str(item[key]))
                except ValueError:
                    moment = None
                if moment is None or moment.tzinfo is None:
                    found.append(problem(ident, f"item {ident}: {key} {item[key]!r} is not an RFC 3339 date"))
    return found
