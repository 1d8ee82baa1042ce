"""Template tags a site generator expands in a Markdown body before Markdown; pure, standard library only.

Jekyll and Eleventy run Liquid over the whole file and Hugo expands shortcodes, both before the Markdown
renderer sees the text, so a feed built from the raw files would show readers ``{{ site.url }}`` or
``{{< figure >}}``. `expand` does what the generator does for the tags whose output feedpub can know:

Liquid ("jekyll", "eleventy"):
  ``{{ site.url }}`` (scheme and host of the site URL) and ``{{ site.baseurl }}`` (its path, no trailing "/");
  the filters ``relative_url`` and ``absolute_url`` by Jekyll 4's rules (a URL with a scheme is left alone,
  otherwise baseurl is put in front, so ``{{ site.baseurl | relative_url }}`` doubles it as Jekyll does), on those
  or on a quoted string, and Eleventy's ``url`` filter; ``{% link path %}`` (also to a page, by its `permalink`)
  and ``{% post_url name %}``;
  ``{% highlight lang [linenos] %}`` as a fenced code block (leading and trailing newlines trimmed, as Jekyll does);
  ``{% raw %}`` as its literal content; ``{% comment %}`` as nothing; whitespace control (``{{-`` ``-}}``
  ``{%-`` ``-%}``: strip all whitespace, newlines included, on that side) on the tags it expands.
Hugo shortcodes ("hugo"), ``{{< >}}`` and ``{{% %}}``:
  ``ref`` / ``relref`` as the absolute URL (a feed needs absolute links), ``#anchor`` kept; ``figure`` as Hugo's
  embedded template renders it; ``highlight`` as a fenced code block; ``comment`` as nothing; ``youtube``,
  ``vimeo``, ``gist``, ``tweet``/``twitter``/``x`` (links go to x.com), ``instagram`` (and their ``_simple``
  variants) as a paragraph holding a link, since feed readers drop the iframes and scripts the generator embeds;
  ``{{</* ... */>}}``, Hugo's escape, as the literal ``{{< ... >}}``.

Any other tag is kept as written, with one warning per file and tag name unless the name is in `ignore`; a
tag whose target is not found is kept with a warning. Both generators expand tags inside code too (authors use
``{% raw %}`` or ``{{</* */>}}`` to show one), so known tags are expanded everywhere; unknown tags inside fenced,
indented or inline code are kept without a warning.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from feedpub.render.mdcode import code_ranges

__all__ = ["SiteRefs", "expand"]


@dataclass(frozen=True, slots=True)
class SiteRefs:
    url: str  # the site's base URL, ending with "/"
    find: Callable[[str], str | None]  # a path as written in a tag -> the article's absolute URL, or None
    find_post: Callable[[str], str | None]  # a Jekyll post_url name -> URL, or None
    find_page: Callable[[str], str | None] = lambda path: None  # a Jekyll {% link %} to a page that is no article
    # Jekyll's other site variables (the keys of _config.yml) that posts print: {{ site.repository }}.
    variables: Mapping[str, str] = field(default_factory=dict)


_LIQUID = re.compile(r"\{%(-?)(.*?)(-?)%\}|\{\{(-?)(.*?)(-?)\}\}", re.DOTALL)
_HUGO = re.compile(r"\{\{<(.*?)>\}\}|\{\{%(.*?)%\}\}", re.DOTALL)
# Each tag's opening and closing marks: a tag is matched only up to the first closing mark after its opening.
_MARKS = {_LIQUID: {"{%": "%}", "{{": "}}"}, _HUGO: {"{{<": ">}}", "{{%": "%}}"}}
_OPENING = {pattern: re.compile("|".join(map(re.escape, marks))) for pattern, marks in _MARKS.items()}
_OUTPUT = re.compile(r"""\s*(site\.[\w.-]+|"[^"]*"|'[^']*')((?:\s*\|\s*\w+)*)\s*""")
_ARG = re.compile(r'(?:([\w-]+)\s*=\s*)?("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`=]+)')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PARTNER = {"else": "if", "elsif": "if", "when": "case"}  # Liquid tags that belong to another one
_MEDIA = {
    "youtube": ("https://www.youtube.com/watch?v={}", "YouTube video {}"),
    "vimeo": ("https://vimeo.com/{}", "Vimeo video {}"),
    "instagram": ("https://www.instagram.com/p/{}/", "Instagram post {}"),
}


def expand(
    text: str,
    flavour: str,
    refs: SiteRefs,
    ignore: Collection[str] = (),
    stash: Callable[[str], str] | None = None,
) -> tuple[str, list[tuple[int, str]]]:
    """`text` (a Markdown body) with the generator's template tags expanded; and the warnings,
    as (line counted from 0 in `text`, message). flavour: "jekyll" or "eleventy" (Liquid), "hugo" (shortcodes);
    any other flavour returns the text unchanged and no warnings.

    Hugo puts the HTML of a `{{< >}}` shortcode into the page after Markdown, where no Markdown
    rule (nor `unsafe = false`) touches it: `stash`, when given, takes that HTML and returns the
    placeholder to write instead, which the caller replaces after rendering."""
    if flavour not in ("jekyll", "eleventy", "hugo"):
        return text, []
    run = _Run(text, flavour, refs, frozenset(ignore), stash)
    out = run.hugo(0, len(text)) if flavour == "hugo" else run.liquid(0, len(text))
    return out, sorted(run.warnings, key=lambda warning: warning[0])


def _fence(lang: str, body: str) -> str:
    body = body.strip("\r\n")  # as Jekyll's highlight and Hugo's highlight trim their content
    bar = "`" * (max((len(run) for run in re.findall(r"`{3,}", body)), default=2) + 1)
    return f"{bar}{lang}\n{body}\n{bar}"


def _head(markup: str) -> tuple[str, str]:
    """A tag's name (its first word) and the rest, stripped; tags may run over several lines."""
    words = markup.split(None, 1)
    return (words[0], words[1].strip()) if len(words) == 2 else (words[0] if words else "", "")


class _Out:
    """Output pieces; a fenced code block is kept on lines of its own, whatever whitespace control strips."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, bool]] = []

    def add(self, text: str, fenced: bool = False) -> None:
        last, last_fenced = next((part for part in reversed(self.parts) if part[0]), ("\n", False))
        if text and (fenced or last_fenced) and not last.endswith("\n") and not text.startswith(("\n", "\r")):
            self.parts.append(("\n", False))
        self.parts.append((text, fenced))

    def rstrip(self) -> None:
        while self.parts and not self.parts[-1][0].strip():
            self.parts.pop()
        if self.parts:
            self.parts[-1] = (self.parts[-1][0].rstrip(), self.parts[-1][1])

    def text(self) -> str:
        return "".join(text for text, _ in self.parts)


def _args(markup: str) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    named: dict[str, str] = {}
    for key, value in _ARG.findall(markup):
        if value[:1] == '"':
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif value[:1] == "`":
            value = value[1:-1]
        if key:
            named[key] = value
        else:
            positional.append(value)
    return positional, named


def _figure(a: dict[str, str]) -> str:
    """Hugo's embedded figure template: optional link around the img; figcaption with h4 title and p caption."""
    alt = a.get("alt") or re.sub(r"<[^>]*>", "", a.get("caption", ""))
    img = f'<img src="{escape(a.get("src", ""))}"' + (f' alt="{escape(alt)}"' if alt else "")
    img += "".join(f' {k}="{escape(a[k])}"' for k in ("width", "height", "loading") if a.get(k)) + ">"
    if link := a.get("link"):
        extra = "".join(f' {k}="{escape(a[k])}"' for k in ("target", "rel") if a.get(k))
        img = f'<a href="{escape(link)}"{extra}>{img}</a>'
    caption = ""
    if a.get("title") or a.get("caption") or a.get("attr"):
        caption = "<figcaption>" + (f"<h4>{escape(a['title'])}</h4>" if a.get("title") else "")
        if a.get("caption") or a.get("attr"):
            attr = a.get("attr", "")
            if attrlink := a.get("attrlink"):
                attr = f' <a href="{escape(attrlink)}">{attr}</a>'
            caption += f"<p>{a.get('caption', '')}{attr}</p>"
        caption += "</figcaption>"
    css = f' class="{escape(a["class"])}"' if a.get("class") else ""
    return f"<figure{css}>{img}{caption}</figure>"


def _media(name: str, positional: list[str], named: dict[str, str]) -> str | None:
    ident = named.get("id") or (positional[0] if positional else "")
    if name in _MEDIA and ident:
        url, label = (pattern.format(ident) for pattern in _MEDIA[name])
        label = named.get("title") or label
    elif name == "gist" and len(positional) >= 2:
        url, label = f"https://gist.github.com/{positional[0]}/{positional[1]}", f"Gist {positional[0]}/{positional[1]}"
        label += f" ({positional[2]})" if len(positional) > 2 else ""
    elif name in ("tweet", "twitter", "x") and ident:
        user = named.get("user", "i")  # x.com/i/status/ID opens a post whose author is not given (old `tweet ID`)
        url, label = (
            f"https://x.com/{user}/status/{ident}",
            f"Post by @{user} on X" if user != "i" else f"Post {ident} on X",
        )
    else:
        return None
    return f'<p><a href="{escape(url)}">{escape(label)}</a></p>'


class _Run:
    def __init__(
        self,
        text: str,
        flavour: str,
        refs: SiteRefs,
        ignore: frozenset[str],
        stash: Callable[[str], str] | None = None,
    ) -> None:
        self.text, self.flavour, self.refs, self.ignore, self.stash = text, flavour, refs, ignore, stash
        parts = urlsplit(refs.url)
        self.site_url, self.baseurl = f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")
        self.code = sorted(code_ranges(text))
        self.code_starts = [start for start, _ in self.code]
        self.absent: set[tuple[str, int]] = set()  # (closing mark, end): not found before end, from some point on
        self.warnings: list[tuple[int, str]] = []
        self.seen: set[str] = set()

    def _line(self, pos: int) -> int:
        return self.text.count("\n", 0, pos)

    def _unknown(self, pos: int, name: str, shown: str, in_code: bool) -> None:
        if name in self.seen or name in self.ignore or name.split(".")[0] in self.ignore:
            return
        i = bisect_right(self.code_starts, pos) - 1
        if in_code or (i >= 0 and pos < self.code[i][1]):
            return
        self.seen.add(name)
        what = "Hugo shortcode" if self.flavour == "hugo" else "Liquid tag" if shown[1] == "%" else "Liquid output"
        self.warnings.append((self._line(pos), (
            f"the {what} {shown} is kept as written: feedpub does not run the site's templates; replace it "
            f"with plain Markdown or HTML, or add '{name}' to [build] ignore_tags to keep it without this warning"
        )))  # fmt: skip

    def _missing(self, pos: int, name: str, tag: str, target: str) -> None:
        if name not in self.ignore:
            self.warnings.append((self._line(pos), (
                f"{' '.join(tag.split())} is kept as written: no article"
                f"{', nor page with a permalink,' if name == 'link' else ''} found for {target!r}; "
                f"correct the path, or add '{name}' to [build] ignore_tags to keep it without this warning"
            )))  # fmt: skip

    def _search(self, pattern: re.Pattern[str], pos: int, end: int) -> re.Match[str] | None:
        """`pattern.search`, in time linear in the text even when closing marks are missing."""
        while opening := _OPENING[pattern].search(self.text, pos, end):
            closer = _MARKS[pattern][opening.group()]
            close = -1 if (closer, end) in self.absent else self.text.find(closer, opening.end(), end)
            if close < 0:
                self.absent.add((closer, end))
            elif m := pattern.match(self.text, opening.start(), close + len(closer)):
                return m
            pos = opening.start() + 1
        return None

    def _close(self, pattern: str, pos: int, end: int) -> re.Match[str] | None:
        """The closing tag of a block (raw, highlight, ...), remembering that it is missing."""
        close = None if (pattern, end) in self.absent else re.compile(pattern).search(self.text, pos, end)
        if close is None:
            self.absent.add((pattern, end))
        return close

    # Liquid

    def liquid(self, start: int, end: int, in_code: bool = False) -> str:
        out = _Out()
        pos, trim = start, False
        while m := self._search(_LIQUID, pos, end):
            literal = self.text[pos : m.start()]
            out.add(literal.lstrip() if trim else literal)
            value, after, trim_after = self._liquid_tag(m, end, in_code)
            if value is None:
                out.add(m.group())
                pos, trim = m.end(), False
                continue
            if m.group()[2] == "-":
                out.rstrip()
            out.add(value, value.startswith("```"))
            pos, trim = after, trim_after
        tail = self.text[pos:end]
        out.add(tail.lstrip() if trim else tail)
        return out.text()

    def _liquid_tag(self, m: re.Match[str], end: int, in_code: bool) -> tuple[str | None, int, bool]:
        trim_after = m.group()[-3] == "-"
        if m.group(2) is None:
            return self._output(m, in_code), m.end(), trim_after
        name, markup = _head(m.group(2))
        if name in ("raw", "comment", "highlight"):
            if close := self._close(r"\{%(-?)\s*end" + name + r"\s*(-?)%\}", m.end(), end):
                if name == "comment":
                    return "", close.end(), close.group(2) == "-"
                if name == "raw":
                    body = self.text[m.end() : close.start()]
                    body = body.lstrip() if trim_after else body
                    return (body.rstrip() if close.group(1) else body), close.end(), close.group(2) == "-"
                lang = markup.split()[0].strip("\"'") if markup else ""
                return _fence(lang, self.liquid(m.end(), close.start(), True)), close.end(), close.group(2) == "-"
        elif name in ("link", "post_url") and markup:
            if name == "link":
                url = self.refs.find(markup) or self.refs.find_page(markup)
            else:
                url = self.refs.find_post(markup)
            if url is None:
                self._missing(m.start(), name, m.group(), markup)
            return url, m.end(), trim_after
        base = name[3:] if name.startswith("end") and len(name) > 3 else _PARTNER.get(name, name)
        self._unknown(m.start(), base, "{% " + base + " %}", in_code)
        return None, m.end(), False

    def _output(self, m: re.Match[str], in_code: bool) -> str | None:
        expr = m.group(5)
        if om := _OUTPUT.fullmatch(expr):
            operand = om.group(1)
            known = {"site.url": self.site_url, "site.baseurl": self.baseurl}
            known.update((f"site.{name}", text) for name, text in self.refs.variables.items())
            value = known.get(operand) if operand.startswith("site.") else operand[1:-1]
            for name in re.findall(r"\w+", om.group(2)):
                if value is None:
                    break
                if name == "relative_url" or (name == "url" and self.flavour == "eleventy" and value[:1] == "/"):
                    value = self._relative(value)
                elif name == "absolute_url":
                    value = self._absolute(value)
                elif name != "url" or self.flavour != "eleventy":
                    value = None
            if value is not None:
                return value
        head = expr.split("|")[0].strip()
        self._unknown(m.start(), head, "{{ " + head + " }}", in_code)
        return None

    def _relative(self, value: str) -> str:
        if _SCHEME.match(value):
            return value
        return "".join(p if not p or p.startswith("/") else "/" + p for p in (self.baseurl, value))

    def _absolute(self, value: str) -> str:
        if _SCHEME.match(value):
            return value
        url = self.site_url + self._relative(value)
        return url if urlsplit(url).path else url + "/"

    # Hugo

    def hugo(self, start: int, end: int, in_code: bool = False) -> str:
        out = _Out()
        pos = start
        while m := self._search(_HUGO, pos, end):
            out.add(self.text[pos : m.start()])
            value, pos = self._shortcode(m, end, in_code)
            out.add(m.group() if value is None else value, value is not None and value.startswith("```"))
        out.add(self.text[pos:end])
        return out.text()

    def _html(self, html: str, opener: str) -> str:
        """A shortcode's HTML: `{{< >}}` output is set aside from Markdown when the caller stashes it."""
        return self.stash(html) if self.stash is not None and opener == "<" else html

    def _shortcode(self, m: re.Match[str], end: int, in_code: bool) -> tuple[str | None, int]:
        opener, closer = ("<", ">") if m.group(1) is not None else ("%", "%")
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        if inner.startswith("/*") and inner.endswith("*/"):
            return "{{" + opener + inner[2:-2] + closer + "}}", m.end()
        body = (inner[:-1] if inner.endswith("/") else inner).strip()  # "{{< name />}}" closes itself
        closing = body.startswith("/")  # "{{< /name >}}" belongs to its opening shortcode
        name, markup = _head(body.lstrip("/"))
        positional, named = _args(markup)
        if closing:
            name = "/"  # never a known name: falls through to the warning below, under the opening's name
        elif name in ("highlight", "comment"):
            if close := self._close(r"\{\{[<%]\s*/\s*" + name + r"\s*[>%]\}\}", m.end(), end):
                if name == "comment":
                    return "", close.end()
                return _fence(positional[0] if positional else "", self.hugo(m.end(), close.start(), True)), close.end()
        elif name in ("ref", "relref"):
            path, anchor, fragment = (named.get("path") or (positional[0] if positional else "")).partition("#")
            if not path and anchor:
                return "#" + fragment, m.end()  # an anchor on the article itself
            url = self.refs.find(path) if path else None
            if url is None:
                self._missing(m.start(), name, m.group(), path)
                return None, m.end()
            return url + anchor + fragment, m.end()
        elif name == "figure" and named.get("src"):
            return self._html(_figure(named), opener), m.end()
        elif (media := _media(name.removesuffix("_simple"), positional, named)) is not None:
            return self._html(media, opener), m.end()
        name = _head(body.lstrip("/"))[0]
        self._unknown(m.start(), name, "{{" + opener + " " + name + " " + closer + "}}", in_code)
        return None, m.end()
