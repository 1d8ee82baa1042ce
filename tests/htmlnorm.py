"""Normalise rendered HTML so that feedpub's rendering and a site generator's can be compared.

`normalise(html, base)` parses `html` with lxml.html and returns a canonical text, one tag or
one text run per line, indented by depth. Two renderings are "the same" when their
normalised texts are equal. The rules, in the order they are applied:

1. Comments are dropped (Hugo's `<!-- raw HTML omitted -->` and source comments alike: they are
   not shown); processing instructions too.
2. Syntax highlighting is undone: line-number gutters go (an element whose class holds
   "gutter" or "lineno"); every outermost `<pre>` becomes `<pre><code>TEXT</code></pre>` with its
   plain text (Chroma, Rouge and Pygments spans go); trailing newlines of TEXT are dropped; a
   `<div>` or `<figure>` whose only content is such a `<pre>` (or such a div) is unwrapped
   (`div.highlight`, `div.highlighter-rouge`, Jekyll's `figure.highlight`).
3. Footnotes are reduced (a link to `base` + "#..." counts as in-page): a footnote reference
   (`<sup>` holding one `<a href="#fn...">`) becomes `<sup>N</sup>` (markdown-it's `[N]` loses
   its brackets); back references (`href="#fnref..."`, `role="doc-backlink"`) are dropped
   with the (no-break) space before them; the footnote block (a div, section, ol or aside
   whose class contains "footnote" or whose role is doc-endnotes) becomes `<footnotes>` with
   one `<li>` per note holding the note's text only (a block inside a block is handled once);
   the `<hr>` before it goes.
4. Attributes: `id`, `class`, `rel`, `role`, `tabindex`, `data-*` are dropped; `align="x"`
   becomes `style="text-align:x"`; `style` is canonical (`prop:value;` sorted, no spaces);
   boolean attributes (checked, disabled, ...) have the value ""; attributes are sorted.
5. URLs in `href`, `src` and `srcset` are resolved against `base` and percent-encoded the way browsers
   do (so `{filename}` and `%7Bfilename%7D` are equal; existing escapes stay).
6. Whitespace: outside `<pre>`, runs of ASCII whitespace become one space and each text run is
   stripped; whitespace-only text is dropped (no-break spaces are kept as they are).
7. Serialisation is ours: void elements (`<br>`, `<br />`, `<hr>`, `<img>`, `<input>`) are
   written `<br>`; text is escaped for `&`, `<`, `>` only (so `&quot;`, `"`, `&#34;` and
   entities like `&copy;` / `©` all compare equal: the characters count, not their spelling).
8. Embedded videos: a YouTube or Vimeo player (an iframe, with the divs that wrap only it) and a
   paragraph holding only a link to the same video (what feedpub writes, as readers drop
   iframes) both become `<video>ID</video>`; this is applied first.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin

import lxml.html
from lxml import etree

DROP = {"id", "class", "rel", "role", "tabindex"}
BOOLEAN = {"checked", "disabled", "selected", "hidden", "open", "readonly", "required", "multiple", "async", "defer"}
VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "embed", "track"}
SPACE = re.compile(r"[ \t\n\r\f]+")


def _is_footnote_block(el: etree._Element) -> bool:
    return "footnote" in (el.get("class") or "") or el.get("role") == "doc-endnotes"


def _remove(el: etree._Element) -> None:
    """Remove `el` but keep its tail text."""
    parent = el.getparent()
    prev = el.getprevious()
    tail = el.tail or ""
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _replace(old: etree._Element, new: etree._Element) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)


_PLAYER = re.compile(r"(?:https?:)?//(?:www\.)?(?:youtube(?:-nocookie)?\.com/embed/|player\.vimeo\.com/video/)([\w-]+)")
_WATCH = re.compile(r"https://(?:www\.youtube\.com/watch\?v=|vimeo\.com/)([\w-]+)$")


def _embeds(root: etree._Element) -> None:
    """8. A video player a page embeds (an iframe, with the divs wrapping only it), the paragraph
    holding only a link to that video, which feedpub writes since feed readers drop iframes, and
    the paragraph feedpub's cleaning makes of a page's player (a link to the player's URL), all
    become `<video>ID</video>`."""
    for frame in list(root.iter("iframe")):
        match = _PLAYER.match(frame.get("src") or "")
        if match is not None:
            _replace(_alone_in(frame, root), _video(match[1]))
    for paragraph in list(root.iter("p")):
        links = list(paragraph)
        if len(links) == 1 and links[0].tag == "a" and not (paragraph.text or "").strip():
            href = links[0].get("href") or ""
            match = _WATCH.match(href) or _PLAYER.match(href)
            if match is not None and not (links[0].tail or "").strip():
                _replace(_alone_in(paragraph, root), _video(match[1]))


def _alone_in(element: etree._Element, root: etree._Element) -> etree._Element:
    """The element, or the outermost of the elements below `root` that wrap only it."""
    outer = element
    while (parent := outer.getparent()) is not None and parent is not root and len(parent) == 1:
        if (parent.text or "").strip() or (outer.tail or "").strip():
            break
        outer = parent
    return outer


def _video(ident: str) -> etree._Element:
    video = etree.Element("video")
    video.text = ident
    return video


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # XML forbids them; feedpub removes them


def normalise(html: str, base: str = "https://example.org/") -> str:
    root = lxml.html.fragment_fromstring(_CONTROL.sub("", html), create_parent="div")
    for node in root.xpath("//comment() | //processing-instruction()"):
        _remove(node)
    _embeds(root)
    for gutter in root.xpath("//*[contains(@class, 'gutter') or contains(@class, 'lineno')]"):
        _remove(gutter)  # line numbers beside highlighted code (Rouge's, Pygments', Chroma's)
    for pre in [el for el in root.iter("pre") if not any(a.tag == "pre" for a in el.iterancestors())]:  # 2.
        text = pre.text_content().rstrip("\n")
        new, code = etree.Element("pre"), etree.Element("code")
        code.text = text
        new.append(code)
        _replace(pre, new)
    for div in reversed([el for el in root.iter("div", "figure") if el is not root]):
        kids = list(div)
        if (
            len(kids) == 1
            and kids[0].tag == "pre"
            and not (div.text or "").strip()
            and not (kids[0].tail or "").strip()
        ):
            _replace(div, kids[0])
    for a in root.iter("a"):  # in-page links made absolute against the page are in-page links
        href = a.get("href") or ""
        if href.startswith(base + "#"):
            a.set("href", href[len(base) :])
    for a in root.xpath("//a[starts-with(@href, '#fnref') or @role='doc-backlink']"):  # 3. footnotes
        prev = a.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "").rstrip(" \u00a0")
        else:
            a.getparent().text = (a.getparent().text or "").rstrip(" \u00a0")
        _remove(a)
    for sup in list(root.iter("sup")):
        links = sup.findall("a")
        if len(links) == 1 and (links[0].get("href") or "").startswith("#fn"):
            new = etree.Element("sup")
            new.text = sup.text_content().strip().strip("[]")
            _replace(sup, new)
    for block in list(root.iter("div", "section", "ol", "aside")):
        if not _is_footnote_block(block) or root not in block.iterancestors():
            continue  # not a footnote block, or inside one already replaced
        new = etree.Element("footnotes")
        for li in block.iter("li"):
            etree.SubElement(new, "li").text = li.text_content()
        prev = block.getprevious()
        if prev is not None and prev.tag == "hr" and not (prev.tail or "").strip():
            _remove(prev)
        _replace(block, new)
    lines: list[str] = []
    _text(root.text, 0, lines, in_pre=False)
    for child in root:  # the children of the wrapping <div>
        _serialise(child, 0, lines, base, in_pre=False)
        _text(child.tail, 0, lines, in_pre=False)
    return "".join(line + "\n" for line in lines)


def _attributes(el: etree._Element, base: str) -> str:
    attrs: dict[str, str] = {}
    for name, value in el.attrib.items():
        name = name.lower()
        if name in DROP or name.startswith("data-"):
            continue
        if name == "align":
            name, value = "style", f"text-align:{value}"
        if name == "style":
            decls = (d.split(":", 1) for d in value.split(";") if ":" in d)
            value = "".join(sorted(f"{k.strip().lower()}:{v.strip()};" for k, v in decls))
        elif name in BOOLEAN:
            value = ""
        elif name in ("href", "src"):
            value = _url(base, value)
        elif name == "srcset":  # candidates "URL [descriptor]", comma-separated
            value = ", ".join(
                " ".join([_url(base, url), *descriptor])
                for url, *descriptor in (c.split() for c in value.split(",") if c.strip())
            )
        attrs[name] = value
    return "".join(f' {k}="{_escape(v).replace(chr(34), "&quot;")}"' for k, v in sorted(attrs.items()))


def _url(base: str, value: str) -> str:
    return quote(urljoin(base, value.strip()), safe="%/:=&?~#+!$,;'@()*[]")


def _text(text: str | None, depth: int, lines: list[str], in_pre: bool) -> None:
    if not text:
        return
    if in_pre:
        lines.append(_escape(text))
        return
    text = SPACE.sub(" ", text).strip(" ")
    if text:
        lines.append("  " * depth + _escape(text))


def _serialise(el: etree._Element, depth: int, lines: list[str], base: str, in_pre: bool) -> None:
    tag = str(el.tag).lower()
    pad = "" if in_pre else "  " * depth
    lines.append(f"{pad}<{tag}{_attributes(el, base)}>")
    inner = in_pre or tag == "pre"
    _text(el.text, depth + 1, lines, inner)
    for child in el:
        _serialise(child, depth + 1, lines, base, inner)
        _text(child.tail, depth + 1, lines, inner)
    if tag not in VOID:
        lines.append(f"{pad}</{tag}>")


if __name__ == "__main__":
    import sys
    from pathlib import Path

    case, left, right = sys.argv[1:4] if len(sys.argv) >= 4 else ("footnotes", "hugo", "pelican")
    fixtures = Path(__file__).resolve().parent / "fixtures" / "markdown"
    a = normalise((fixtures / left / f"{case}.html").read_text(encoding="utf-8"))
    b = normalise((fixtures / right / f"{case}.html").read_text(encoding="utf-8"))
    print(f"{case}: {left} and {right} {'match' if a == b else 'differ'}")
    if a != b:
        import difflib

        sys.stdout.writelines(difflib.unified_diff(a.splitlines(True), b.splitlines(True), left, right))
