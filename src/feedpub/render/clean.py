"""HTML as feed readers accept it: sanitised by nh3 (ammonia), URLs made absolute in the same pass.

The only module that imports nh3. Readers drop or mangle what they do
not trust, each differently, and the W3C validator warns of it; so every summary and content is
cleaned here to what its HTML check accepts:

- elements: those its list accepts, less forms and their controls, scripts, styles, templates,
  SVG and MathML (which it calls non-HTML); `script`, `style`, `template`, `form`, `svg`, `math`,
  `select` and `textarea` go with their content, any other unknown element leaves its text;
- attributes: a list per element (links, images and their `srcset`, media, table cells, lists,
  quotes, times; `lang`, `dir`, `title`, `id`, `class`, `role` and `aria-*` anywhere; a task
  list's checkbox, `checked` or not, and no other input); no event handlers; `style` keeps only
  properties of its list, and goes whole when a value holds anything but words, numbers, colours
  and lengths (`url(`, `expression(`);
- an `iframe`, `embed` or `object` (a video player, a map) becomes a link to its source,
  `Embedded content: youtube.com` (in a paragraph of its own between blocks), so that nothing
  disappears without a word;
- every `href`, `src`, `srcset`, `poster` and `cite` is made absolute against the article's URL
  (after the site's own rule, Pelican's `{filename}` links), through nh3's attribute hook.

The parser (html5ever) repairs what is badly nested, as browsers do; comments go.
"""

from __future__ import annotations

import re
import threading
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from feedpub.render.markup import Resolver, absolute, absolute_srcset

__all__ = ["ELEMENTS", "clean_html"]

# The W3C Feed Validation Service's list of elements its HTML check accepts (validators.py,
# HTMLValidator.acceptable_elements), less what a reader cannot use: forms and their controls
# (but a task list's checkbox), and elements that only scripts bring to life.
ELEMENTS = frozenset(
    {
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "big",
        "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "data", "dd",
        "del", "details", "dfn", "dir", "div", "dl", "dt", "em", "figcaption", "figure", "font",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img", "ins",
        "input", "kbd", "li", "main", "map", "mark", "menu", "meter", "nav", "ol", "p", "picture", "pre",
        "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "source", "span",
        "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "time", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
    }
)  # fmt: skip
# Gone with what they hold: code, styles, inert templates, forms, and what the validator calls non-HTML.
_WITH_CONTENT = frozenset({"script", "style", "template", "form", "select", "textarea", "svg", "math", "noscript"})
_EVERYWHERE = {"lang", "dir", "title", "id", "class", "role", "style"}
_ATTRIBUTES = {
    "*": _EVERYWHERE,
    "a": {"href", "hreflang", "type"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "source": {"src", "srcset", "sizes", "media", "type"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "preload", "playsinline"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": {"colspan", "rowspan", "headers", "align", "valign"},
    "th": {"colspan", "rowspan", "headers", "scope", "align", "valign"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "details": {"open"},
    "map": {"name"},
    "area": {"href", "alt", "shape", "coords"},
    "meter": {"value", "min", "max", "low", "high", "optimum"},
    "progress": {"value", "max"},
    "input": {"checked", "disabled"},  # a task list's box (its type is set below): the state it shows
    "font": {"color", "size", "face"},
}
# The validator's list of CSS properties (HTMLValidator.acceptable_css_properties).
_CSS_PROPERTIES = frozenset(
    {
        "azimuth", "background", "background-color", "border", "border-bottom", "border-bottom-color",
        "border-bottom-style", "border-bottom-width", "border-collapse", "border-color", "border-left",
        "border-left-color", "border-left-style", "border-left-width", "border-right", "border-right-color",
        "border-right-style", "border-right-width", "border-spacing", "border-style", "border-top",
        "border-top-color", "border-top-style", "border-top-width", "border-width", "clear", "color",
        "cursor", "direction", "display", "elevation", "float", "font", "font-family", "font-size",
        "font-style", "font-variant", "font-weight", "height", "letter-spacing", "line-height",
        "list-style-type", "margin", "margin-bottom", "margin-left", "margin-right", "margin-top",
        "overflow", "padding", "padding-bottom", "padding-left", "padding-right", "padding-top", "pause",
        "pause-after", "pause-before", "pitch", "pitch-range", "richness", "speak", "speak-header",
        "speak-numeral", "speak-punctuation", "speech-rate", "stress", "text-align", "text-decoration",
        "text-indent", "unicode-bidi", "vertical-align", "voice-family", "volume", "white-space", "width",
    }
)  # fmt: skip
# Keywords the validator takes in background, border, margin and padding values, beside colours and lengths.
_CSS_KEYWORDS = frozenset(
    {
        "aqua", "auto", "black", "block", "blue", "bold", "both", "bottom", "brown", "center", "collapse",
        "dashed", "dotted", "fuchsia", "gray", "green", "!important", "italic", "left", "lime", "maroon",
        "medium", "none", "navy", "normal", "nowrap", "olive", "pointer", "purple", "red", "right", "solid",
        "silver", "teal", "top", "transparent", "underline", "white", "yellow",
    }
)  # fmt: skip
_CSS_VALUE = re.compile(r"#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d?\.?\d?\d(cm|em|ex|in|mm|pc|pt|px|%|,|\))?")
_CSS_TEXT = re.compile(r"""([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*""")
_CSS_BOXES = ("background", "border", "margin", "padding")
_URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})
_IMPORTANT = re.compile(r"\s*!\s*important\b", re.IGNORECASE)
_EMBED = re.compile(r"<(?:iframe|embed|object)\b", re.IGNORECASE)

_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "data"})


def clean_html(html: str, base: str, resolve: Resolver | None = None) -> str:
    """`html` as readers accept it, its URLs absolute against `base` (after `resolve`, when given)."""
    if _EMBED.search(html):
        html = _links_for_embeds(html)
    here = _PASS
    here.base, here.resolve = base, resolve
    try:
        # what a wrong decoding left goes (read.fields warns of it in the text)
        return _cleaner().clean(html.replace("\ufffd", ""))
    finally:
        here.base, here.resolve = "", None


class _Pass(threading.local):
    """What the attribute hook of the cleaner needs to know about the HTML it is cleaning now: the
    cleaner is made once (making one costs as much as cleaning a short article), its hook reads the
    article's URL here. Thread-local, so that threads that clean at once do not mix their bases."""

    base = ""
    resolve: Resolver | None = None
    cleaner: nh3.Cleaner | None = None


_PASS = _Pass()


def _cleaner() -> nh3.Cleaner:
    if _PASS.cleaner is None:
        _PASS.cleaner = nh3.Cleaner(
            tags=set(ELEMENTS),
            clean_content_tags=set(_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
            attribute_filter=_attribute,
            generic_attribute_prefixes={"aria-"},
            tag_attribute_values={"input": {"type": {"checkbox"}}},
            strip_comments=True,
            link_rel=None,
            url_schemes=set(_SCHEMES),
            filter_style_properties=set(_CSS_PROPERTIES),
        )
    return _PASS.cleaner


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's hook, for every attribute kept: URLs made absolute, styles the validator would refuse dropped."""
    if name in _URL_ATTRIBUTES:
        if not value.strip():  # a link to nothing: readers take it for the feed's own address
            return None
        resolve = _PASS.resolve
        resolved = resolve(value) if resolve is not None else None
        return resolved if resolved is not None else absolute(value, _PASS.base)
    if name == "srcset":
        return absolute_srcset(value, _PASS.base)
    if name == "style":
        # nh3 writes "!important" back as "! important", which the validator takes for two unsafe
        # words; in a feed there is no style sheet for it to win over, so it goes.
        value = _IMPORTANT.sub("", value)
        return value if _safe_style(value) else None
    return value


def _safe_style(style: str) -> bool:
    """Whether the validator would take this style (properties already filtered by nh3)."""
    if not style.strip() or not _CSS_TEXT.fullmatch(style):
        return False
    for declaration in style.lower().split(";"):
        prop, _, value = declaration.partition(":")
        if prop.strip().split("-")[0] in _CSS_BOXES:
            for keyword in value.split():
                if keyword not in _CSS_KEYWORDS and not _CSS_VALUE.fullmatch(keyword):
                    return False
    return True


def _links_for_embeds(html: str) -> str:
    """Each iframe, embed and object as a link to its source: in a paragraph of its own where it
    stood between blocks, the link alone where it stood in a line of text."""
    parser = _Embeds()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


_BLOCK_CONTAINERS = frozenset({"div", "section", "article", "aside", "blockquote", "figure", "li", "td", "th", "dd"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _Embeds(HTMLParser):
    """The HTML as written, token by token (html.parser), but for the embeds, which become links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self._open: list[str] = []  # the elements open where the text now is
        self._skip: tuple[str, int] | None = None  # inside an iframe or object: its tag and depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip is not None:
            if tag == self._skip[0]:
                self._skip = (tag, self._skip[1] + 1)
            return
        if tag in ("iframe", "embed", "object"):
            found = dict(attrs)
            self.out.append(self._link(found.get("src") or found.get("data") or ""))
            if tag != "embed":
                self._skip = (tag, 1)
            return
        self.out.append(self.get_starttag_text() or "")
        if tag not in _VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "embed", "object"):
            if self._skip is None:
                found = dict(attrs)
                self.out.append(self._link(found.get("src") or found.get("data") or ""))
        elif self._skip is None:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skip is not None:
            if tag == self._skip[0]:
                depth = self._skip[1] - 1
                self._skip = (tag, depth) if depth else None
            return
        if tag in ("embed",):
            return
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._skip is None:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.handle_data(f"<!--{data}-->")

    def _link(self, source: str) -> str:
        try:
            host = (urlsplit(source).hostname or source).removeprefix("www.")
        except ValueError:  # "https://[::1": no host to name, the address as written
            host = source
        link = f'<a href="{escape(source)}">Embedded content: {escape(host)}</a>' if source else "Embedded content"
        between_blocks = not self._open or self._open[-1] in _BLOCK_CONTAINERS
        return f"<p>{link}</p>" if between_blocks else link
