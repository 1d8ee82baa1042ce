"""The excerpt separator in Markdown, and HTML cut at a word limit: tables, then properties."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.render.excerpt import split_excerpt, truncate_html

SPLIT_CASES = [
    pytest.param("Intro.\n\n<!--more-->\n\nRest.\n", "<!--more-->", ("Intro.\n\n", "\n\nRest.\n"), id="separator-line"),
    pytest.param("Intro.\n<!-- more -->\nRest.", "<!--more-->", ("Intro.\n", "\nRest."), id="spaces-inside-comment"),
    pytest.param("Intro.\n<!--MORE-->\nRest.", "<!--more-->", ("Intro.\n", "\nRest."), id="comment-any-case"),
    pytest.param("Kept <!--more--> dropped", "<!--more-->", ("Kept ", " dropped"), id="mid-line"),
    pytest.param("<!--more-->\nRest.", "<!--more-->", ("", "\nRest."), id="at-the-very-start"),
    pytest.param("One.\n\nTwo.\n", "<!--more-->", None, id="absent"),
    pytest.param("```\n<!--more-->\n```\n\nFirst.\n", "<!--more-->", None, id="in-fenced-code"),
    pytest.param("~~~ html\n<!--more-->\n~~~\n", "<!--more-->", None, id="in-tilde-fence"),
    pytest.param(
        "````\n```\n<!--more-->\n````\nA<!--more-->B",
        "<!--more-->",
        ("````\n```\n<!--more-->\n````\nA", "B"),
        id="longer-fence-closes-only-on-its-length",
    ),
    pytest.param("Intro.\n\n    <!--more-->\n\nRest.", "<!--more-->", None, id="in-indented-code"),
    pytest.param(
        "Use `<!--more-->` here.\n<!--more-->\nRest.",
        "<!--more-->",
        ("Use `<!--more-->` here.\n", "\nRest."),
        id="in-inline-code-skipped",
    ),
    pytest.param("Kept [[more]] dropped", "[[more]]", ("Kept ", " dropped"), id="custom-separator"),
    pytest.param("Kept [[MORE]] dropped", "[[more]]", None, id="custom-separator-is-exact"),
    pytest.param("A <!--more--> B <!--more--> C", "<!--more-->", ("A ", " B <!--more--> C"), id="first-one-wins"),
]


@pytest.mark.parametrize(("text", "separator", "expected"), SPLIT_CASES)
def test_split_excerpt(text: str, separator: str, expected: tuple[str, str] | None) -> None:
    assert split_excerpt(text, separator) == expected


def test_split_excerpt_refuses_a_blank_separator() -> None:
    with pytest.raises(ValueError, match="blank"):
        split_excerpt("a <!--more--> b", " ")


TRUNCATE_CASES = [
    pytest.param("<p>one two three four</p>", 2, "<p>one two\u2026</p>", id="plain"),
    pytest.param("<p>one <em>two three</em></p>", 2, "<p>one <em>two\u2026</em></p>", id="nested-inline"),
    pytest.param("<p>one <em>two</em> three</p>", 2, "<p>one <em>two\u2026</em></p>", id="ellipsis-after-last-word"),
    pytest.param(
        "<p><strong>a <em>b c</em></strong> d</p>",
        2,
        "<p><strong>a <em>b\u2026</em></strong></p>",
        id="closed-in-reverse-order",
    ),
    pytest.param(
        '<p><a href="x?a=1&amp;b=2">one two three</a></p>',
        2,
        '<p><a href="x?a=1&amp;b=2">one two\u2026</a></p>',
        id="cut-inside-link-keeps-attribute",
    ),
    pytest.param(
        '<p><a title="a>b" href=\'q"\'>one two three</a></p>',
        1,
        '<p><a title="a>b" href=\'q"\'>one\u2026</a></p>',
        id="attribute-with-angle-and-quote",
    ),
    pytest.param(
        "<p>AT&amp;T and&nbsp;more here</p>", 2, "<p>AT&amp;T and&nbsp;more\u2026</p>", id="entities-inside-words"
    ),
    pytest.param("<p>fish &amp; chips</p>", 2, "<p>fish &amp;\u2026</p>", id="entity-as-a-word"),
    pytest.param("<p>a &#8212; b &#x2014; c</p>", 4, "<p>a &#8212; b\u2026</p>", id="dash-reference-dropped-whole"),
    pytest.param("<p>a &amp b c</p>", 2, "<p>a &amp\u2026</p>", id="reference-without-semicolon-as-written"),
    pytest.param("<p>one<br />two<br>three four</p>", 2, "<p>one<br />two\u2026</p>", id="void-elements-kept"),
    pytest.param(
        '<p><img src="a.png" alt="x"> one two</p>', 1, '<p><img src="a.png" alt="x"> one\u2026</p>', id="image"
    ),
    pytest.param("<P>one <EM>two three</EM></P>", 2, "<P>one <EM>two\u2026</EM></P>", id="uppercase-tags"),
    pytest.param("<p>one <em>two three", 2, "<p>one <em>two\u2026</em></p>", id="unclosed-input"),
    pytest.param("<p>one two</p><p>three</p>", 2, "<p>one two\u2026</p>", id="later-paragraph-dropped"),
    pytest.param(
        "<p>un<em>believ</em>able two</p>", 1, "<p>un<em>believ</em>able\u2026</p>", id="word-across-inline-tags"
    ),
    pytest.param("<p>one <!-- note --> two three</p>", 2, "<p>one  two\u2026</p>", id="comment-dropped"),
    pytest.param("<p>a <script>x y z</script>b c</p>", 2, "<p>a b\u2026</p>", id="script-not-counted"),
    pytest.param('<p>a <script src="x.js"/> b c</p>', 2, "<p>a  b\u2026</p>", id="self-closed-script-dropped"),
    pytest.param("<p>one, two, three</p>", 2, "<p>one, two\u2026</p>", id="comma-before-ellipsis"),
    pytest.param("<p>one; two: three</p>", 2, "<p>one; two\u2026</p>", id="colon-before-ellipsis"),
    pytest.param("<p>one \u2014 three</p>", 2, "<p>one\u2026</p>", id="lone-dash-dropped"),
    pytest.param("<p>\u4e00\u4e8c\u4e09\u56db\u4e94</p>", 3, "<p>\u4e00\u4e8c\u4e09\u2026</p>", id="cjk-by-character"),
    pytest.param("<p>\u65e5\u672c\u3001\u8a9e\u3067\u3059</p>", 2, "<p>\u65e5\u672c\u2026</p>", id="cjk-comma-dropped"),
    pytest.param("<p>iPhone\u3092\u8cb7\u3063\u305f</p>", 2, "<p>iPhone\u3092\u2026</p>", id="latin-word-then-kana"),
    pytest.param("<p>\u304b\u3099\u304d</p>", 1, "<p>\u304b\u3099\u2026</p>", id="combining-mark-kept-with-kana"),
    pytest.param(
        "<p>\U0001f44d\U0001f3fd yes no</p>", 2, "<p>\U0001f44d\U0001f3fd yes\u2026</p>", id="emoji-sequence-whole"
    ),
]


@pytest.mark.parametrize(("fragment", "words", "expected"), TRUNCATE_CASES)
def test_truncate_html(fragment: str, words: int, expected: str) -> None:
    assert truncate_html(fragment, words) == expected


UNCHANGED_CASES = [
    pytest.param("<p>one two</p>", 5, id="shorter"),
    pytest.param("<p>one <em>two</em></p>\n", 2, id="exactly-the-limit"),
    pytest.param("<P>one<BR/>two</P>", 2, id="exactly-the-limit-odd-markup"),
    pytest.param("<p>one <em>two", 2, id="unclosed-but-not-cut"),
    pytest.param("<p>a <!-- x y z --> <script>p q r</script></p>", 1, id="comments-and-scripts-not-counted"),
    pytest.param("", 1, id="empty"),
]


@pytest.mark.parametrize(("fragment", "words"), UNCHANGED_CASES)
def test_truncate_html_leaves_what_fits_unchanged(fragment: str, words: int) -> None:
    assert truncate_html(fragment, words) == fragment


def test_truncate_html_custom_ellipsis() -> None:
    assert truncate_html("<p>one two</p>", 1, ellipsis=" [\u2026]") == "<p>one [\u2026]</p>"


@pytest.mark.parametrize("words", [pytest.param(0, id="zero"), pytest.param(-3, id="negative")])
def test_truncate_html_needs_a_positive_limit(words: int) -> None:
    with pytest.raises(ValueError, match="words must be 1 or more"):
        truncate_html("<p>one</p>", words)


# Properties: small trees of the tags Python-Markdown writes, with text holding markup characters,
# references, emoji and CJK, written as XHTML so that well-formedness can be checked by an XML parser.
ELLIPSIS = "\u2026"
TEXT = st.lists(
    st.one_of(
        st.text(alphabet="ab ,;&<>\"'\u65e5\u672c\U0001f600\u3001\n", min_size=1, max_size=8).map(html.escape),
        st.sampled_from(["&nbsp;", "&#8212;", "&amp;", "&#x41;"]),
    ),
    max_size=4,
).map("".join)
INLINE = st.recursive(
    TEXT | st.sampled_from(["<br />", "<BR/>"]),
    lambda children: st.tuples(
        st.sampled_from(["em", "strong", "code", "EM", 'a href="x?a=1&amp;b=2" title="a>b &quot;q&quot;"']),
        st.lists(children, max_size=3),
    ).map(lambda pair: f"<{pair[0]}>{''.join(pair[1])}</{pair[0].split()[0]}>"),
    max_leaves=12,
)
FRAGMENT = st.lists(st.lists(INLINE, max_size=4).map(lambda parts: f"<p>{''.join(parts)}</p>"), max_size=3).map(
    "\n".join
)
UNSPACED = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


class _Text(HTMLParser):
    """The text a reader sees, with a space where a paragraph or line ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "br"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def words_of(fragment: str) -> list[str]:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    # No-break spaces bind the words either side, as feedpub counts them.
    return [word for word in re.split(r"[^\S\xa0]+", "".join(parser.parts)) if word]


@settings(max_examples=300)
@given(fragment=FRAGMENT, words=st.integers(min_value=1, max_value=8))
def test_truncated_html_is_well_formed_and_a_prefix(fragment: str, words: int) -> None:
    out = truncate_html(fragment, words)
    ET.fromstring(f"<div>{out.replace('&nbsp;', '&#160;')}</div>")
    source = words_of(fragment)
    if not UNSPACED.search(fragment):
        assert (out == fragment) == (len(source) <= words)
    if out == fragment:
        return
    kept = words_of(out)
    assert kept[-1].endswith(ELLIPSIS)
    kept[-1] = kept[-1].removesuffix(ELLIPSIS)
    assert 1 <= len(kept) <= words
    assert kept[:-1] == source[: len(kept) - 1]
    whole = source[len(kept) - 1]
    assert whole.startswith(kept[-1])
    # A word is cut short only at a CJK character or at punctuation dropped before the ellipsis.
    rest = whole[len(kept[-1]) :]
    if rest and rest[0].isalnum() and kept[-1][-1:].isalnum():
        assert UNSPACED.match(rest[0]) or UNSPACED.match(kept[-1][-1])


@given(
    lines=st.lists(st.text(alphabet="ab <>!-`\n", max_size=10).map(lambda s: s.replace("\n", " ")), max_size=5),
    at=st.integers(min_value=0, max_value=5),
)
def test_split_excerpt_round_trips(lines: list[str], at: int) -> None:
    body = "\n".join(line for line in lines if "more" not in line and "`" not in line)
    cut = min(at, len(body))
    text = body[:cut] + "\n<!--more-->\n" + body[cut:]
    parts = split_excerpt(text)
    assert parts is not None
    assert parts[0] + "<!--more-->" + parts[1] == text
