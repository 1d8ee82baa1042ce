"""Template tags of Jekyll / Eleventy (Liquid) and Hugo (shortcodes) expanded before Markdown, as the generators do."""

from __future__ import annotations

import time

import pytest

from feedpub.render.templates import SiteRefs, expand

ARTICLES = {
    "about.md": "https://example.org/blog/about/",
    "_posts/2010-07-21-name.md": "https://example.org/blog/2010/07/21/name/",
    "/posts/hello": "https://example.org/blog/hello/",
}
POSTS = {
    "2010-07-21-name": "https://example.org/blog/2010/07/21/name/",
    "sub/2011-01-01-x": "https://example.org/blog/x/",
}
REFS = SiteRefs(
    url="https://example.org/blog/", find=lambda path: ARTICLES.get(path), find_post=lambda name: POSTS.get(name)
)
ROOT = SiteRefs(url="https://example.org/", find=lambda path: None, find_post=lambda name: None)


def _p(url: str, label: str) -> str:
    return f'<p><a href="{url}">{label}</a></p>'


FIGURE = (
    '<figure><a href="https://www.nps.gov/zion/"><img src="/z.jpg" alt="Zion at dawn"></a>'
    "<figcaption><h4>Zion</h4><p>Zion National Park</p></figcaption></figure>"
)

# (flavour, Markdown body, expected body); none of these warns.
EXPANDED = [
    # Liquid: site.url is scheme and host, site.baseurl the path without its trailing "/".
    ("jekyll", "{{ site.url }}", "https://example.org"),
    ("jekyll", "{{site.baseurl}}", "/blog"),
    ("jekyll", "[a]({{ site.url }}{{ site.baseurl }}/about/)", "[a](https://example.org/blog/about/)"),
    ("eleventy", "{{   site.url   }}", "https://example.org"),
    # The URL filters, by Jekyll 4's rules.
    ("jekyll", '{{ "/about/" | relative_url }}', "/blog/about/"),
    ("jekyll", "{{ 'about/' | relative_url }}", "/blog/about/"),
    ("jekyll", '{{ "/about/" | absolute_url }}', "https://example.org/blog/about/"),
    ("jekyll", '{{ "https://other.org/x" | relative_url }}', "https://other.org/x"),
    ("jekyll", "{{ site.baseurl | relative_url }}", "/blog/blog"),  # Jekyll puts baseurl in front again
    ("jekyll", "{{ site.url | absolute_url }}", "https://example.org"),
    ("jekyll", '{{ "" | absolute_url }}', "https://example.org/blog"),
    ("eleventy", '{{ "/about/" | url }}', "/blog/about/"),
    # Whitespace control strips all whitespace, newlines too, on its side of an expanded tag.
    ("jekyll", "a  {{- site.url -}}  b", "ahttps://example.orgb"),
    ("jekyll", "a \n{{- site.baseurl }} b", "a/blog b"),
    ("jekyll", "[a]( {%- link about.md -%} )", "[a](https://example.org/blog/about/)"),
    # link and post_url, through SiteRefs.
    ("jekyll", "[a]({% link about.md %})", "[a](https://example.org/blog/about/)"),
    ("jekyll", "[a]({% link _posts/2010-07-21-name.md %})", "[a](https://example.org/blog/2010/07/21/name/)"),
    ("jekyll", "[a]({% post_url 2010-07-21-name %})", "[a](https://example.org/blog/2010/07/21/name/)"),
    ("jekyll", "[a]({% post_url sub/2011-01-01-x %}#part)", "[a](https://example.org/blog/x/#part)"),
    # raw: its content is literal, no tag in it is expanded or warned about.
    ("jekyll", "{% raw %}{{ site.url }} {% include x.html %}{% endraw %}", "{{ site.url }} {% include x.html %}"),
    ("eleventy", "a {%- raw -%} {{ b }} {%- endraw -%} c", "a{{ b }}c"),
    # highlight: a fenced code block; Liquid in it is run as Jekyll does, unknown tags kept silently.
    ("jekyll", "{% highlight ruby %}\nputs 1\n{% endhighlight %}", "```ruby\nputs 1\n```"),
    ("jekyll", "x\n{% highlight ruby linenos %}\n{% if a %}\n{% endhighlight %}\ny", "x\n```ruby\n{% if a %}\n```\ny"),
    ("eleventy", 'a {% highlight "js" %}f(){% endhighlight %} b', "a \n```js\nf()\n```\n b"),
    ("jekyll", "{{ site.url -}}\n{% highlight sh %}ls{% endhighlight %}", "https://example.org\n```sh\nls\n```"),
    ("jekyll", "{% highlight md %}\n````\n{% endhighlight %}", "`````md\n````\n`````"),
    ("jekyll", "a{% comment %} {% include x %} {% endcomment %}b", "ab"),
    # Known tags are expanded inside code too (Jekyll runs Liquid over the whole file); unknown ones kept.
    ("jekyll", "`{{ site.url }}` and `{% include x.html %}`", "`https://example.org` and `{% include x.html %}`"),
    ("jekyll", "```liquid\n{% if x %}{{ site.baseurl }}\n```", "```liquid\n{% if x %}/blog\n```"),
    ("jekyll", "~~~\n{% include x.html %}\n~~~", "~~~\n{% include x.html %}\n~~~"),
    ("jekyll", "text\n\n    {% include x.html %}\n", "text\n\n    {% include x.html %}\n"),
    # Hugo: ref and relref give the absolute URL, anchor kept; quoted with "" or ``, positional or named.
    ("hugo", '[a]({{< ref "about.md" >}})', "[a](https://example.org/blog/about/)"),
    ("hugo", '[a]({{< relref "about.md#team" >}})', "[a](https://example.org/blog/about/#team)"),
    ("hugo", "[a]({{% ref `/posts/hello` %}})", "[a](https://example.org/blog/hello/)"),
    ("hugo", '[a]({{< ref path="about.md" >}})', "[a](https://example.org/blog/about/)"),
    ("hugo", '[a]({{< ref "#intro" >}})', "[a](#intro)"),
    # figure, as Hugo's embedded template renders it.
    ("hugo", '{{< figure src="/a.png" >}}', '<figure><img src="/a.png"></figure>'),
    ("hugo", '{{< figure src="/a.png" alt="A &amp; B" >}}', '<figure><img src="/a.png" alt="A &amp;amp; B"></figure>'),
    (
        "hugo",
        '{{< figure\n  src="/z.jpg"\n  alt="Zion at dawn"\n  link="https://www.nps.gov/zion/"\n'
        '  title="Zion"\n  caption="Zion National Park"\n>}}',
        FIGURE,
    ),
    (
        "hugo",
        '{{< figure src="/a.png" caption="Cap" class="wide" >}}',
        '<figure class="wide"><img src="/a.png" alt="Cap"><figcaption><p>Cap</p></figcaption></figure>',
    ),
    ("hugo", '{{< highlight go "linenos=table" >}}\nfunc f() {}\n{{< /highlight >}}', "```go\nfunc f() {}\n```"),
    ("hugo", "{{% comment %}} rewrite this {{% /comment %}}kept", "kept"),
    # Media: a paragraph holding a link, since feed readers drop iframes and scripts.
    (
        "hugo",
        "{{< youtube w7Ft2ymGmfc >}}",
        _p("https://www.youtube.com/watch?v=w7Ft2ymGmfc", "YouTube video w7Ft2ymGmfc"),
    ),
    ("hugo", '{{< youtube id="abc" >}}', _p("https://www.youtube.com/watch?v=abc", "YouTube video abc")),
    ("hugo", "{{< vimeo 146022717 >}}", _p("https://vimeo.com/146022717", "Vimeo video 146022717")),
    ("hugo", "{{< gist spf13 7896402 >}}", _p("https://gist.github.com/spf13/7896402", "Gist spf13/7896402")),
    (
        "hugo",
        '{{< gist spf13 7896402 "img.html" >}}',
        _p("https://gist.github.com/spf13/7896402", "Gist spf13/7896402 (img.html)"),
    ),
    (
        "hugo",
        '{{< tweet user="SanDiegoZoo" id="145" >}}',
        _p("https://x.com/SanDiegoZoo/status/145", "Post by @SanDiegoZoo on X"),
    ),
    (
        "hugo",
        "{{< tweet 877500564405444608 >}}",
        _p("https://x.com/i/status/877500564405444608", "Post 877500564405444608 on X"),
    ),
    ("hugo", '{{< x user="u" id="1" >}}', _p("https://x.com/u/status/1", "Post by @u on X")),
    (
        "hugo",
        "{{< instagram BWNjjyYFxVx >}}",
        _p("https://www.instagram.com/p/BWNjjyYFxVx/", "Instagram post BWNjjyYFxVx"),
    ),
    # Hugo's escape: a shortcode comment is output as the literal shortcode.
    ("hugo", '`{{</* figure src="x" */>}}`', '`{{< figure src="x" >}}`'),
    ("hugo", '{{%/* ref "nowhere" */%}}', '{{% ref "nowhere" %}}'),
    # Hugo processes shortcodes inside code too; unknown ones there are kept silently.
    (
        "hugo",
        '```\n{{< ref "about.md" >}} {{< notice >}}\n```',
        "```\nhttps://example.org/blog/about/ {{< notice >}}\n```",
    ),
    # Liquid means nothing to Hugo, nor shortcodes to Jekyll's URL handling.
    ("hugo", "{{ site.url }} {% include x %}", "{{ site.url }} {% include x %}"),
]  # fmt: skip


@pytest.mark.parametrize(("flavour", "text", "expected"), EXPANDED)
def test_expands_as_the_generator_does(flavour: str, text: str, expected: str) -> None:
    assert expand(text, flavour, REFS) == (expected, [])


def test_root_site_has_an_empty_baseurl() -> None:
    text = '{{ site.url }}|{{ site.baseurl }}|{{ "/a/" | relative_url }}|{{ "" | absolute_url }}'
    assert expand(text, "jekyll", ROOT) == ("https://example.org||/a/|https://example.org/", [])


@pytest.mark.parametrize("flavour", ["pelican", "python-markdown", ""])
def test_other_flavours_are_left_alone(flavour: str) -> None:
    text = "{{ site.url }} {% include x %} {{< youtube a >}}"
    assert expand(text, flavour, REFS) == (text, [])


# (flavour, body, ignore, expected warnings as (line, tag named in the message)); the body is kept unchanged.
KEPT = [
    ("jekyll", "{% include a.html %}", (), [(0, "{% include %}")]),
    # One warning per file and tag name, at its first use; closing and middle tags belong to their block.
    (
        "jekyll",
        "a\n{% include a.html %}\nb {% include b.html %}\n{% if x %}y{% else %}z{% endif %}",
        (),
        [(1, "{% include %}"), (3, "{% if %}")],
    ),
    ("jekyll", "{% capture x %}\n{% endcapture %}\n{% capture y %}{% endcapture %}", (), [(0, "{% capture %}")]),
    ("eleventy", "{% include\n  a.html %}", (), [(0, "{% include %}")]),
    ("jekyll", "{{ page.title }} and\n{{ page.title | upcase }}", (), [(0, "{{ page.title }}")]),
    ("jekyll", '{{ site.url | append: "/x" }}', (), [(0, "{{ site.url }}")]),
    # Names in ignore are kept silently; a variable's first part covers all of it.
    ("jekyll", "{% include a.html %}\n{% if x %}{% endif %}", ("include",), [(1, "{% if %}")]),
    ("jekyll", "{{ page.title }} {{ page.date }}", ("page",), []),
    # Unknown tags inside code are kept without a warning, and the warning goes to the first use outside code.
    ("jekyll", "`{% include a %}`\n\n```\n{% if x %}\n```\n{% include b %}", (), [(5, "{% include %}")]),
    ("jekyll", "Some text\n\n    {% include a %}\n\n\tb {% for x %}", (), []),
    # A tag whose target is not found is kept as written, with a warning naming it.
    ("jekyll", "see\n[a]({% link nowhere.md %})", (), [(1, "{% link nowhere.md %}")]),
    ("jekyll", "[a]({% post_url 1999-01-01-gone %})", (), [(0, "{% post_url 1999-01-01-gone %}")]),
    ("jekyll", "[a]({% link nowhere.md %})", ("link",), []),
    ("jekyll", "{% raw %} no end", (), [(0, "{% raw %}")]),
    ("hugo", '[a]({{< ref "gone.md" >}})', (), [(0, '{{< ref "gone.md" >}}')]),
    ("hugo", '[a]({{< relref "gone.md#x" >}})', (), [(0, '{{< relref "gone.md#x" >}}')]),
    # Hugo: one warning for an unknown shortcode with its closing one; both delimiters.
    ("hugo", "{{< notice warning >}}\nhi\n{{< /notice >}}", (), [(0, "{{< notice >}}")]),
    ("hugo", "x\n{{% details summary=\"s\" %}}\nhi\n{{% /details %}}\n{{< details >}}", (), [(1, "{{% details %}}")]),
    ("hugo", "{{< param title >}} {{< qr >}}", ("param",), [(0, "{{< qr >}}")]),
    ("hugo", "{{< youtube >}}", (), [(0, "{{< youtube >}}")]),
    ("hugo", "`{{< notice >}}`", (), []),
]  # fmt: skip


@pytest.mark.parametrize(("flavour", "text", "ignore", "expected"), KEPT)
def test_keeps_and_warns(flavour: str, text: str, ignore: tuple[str, ...], expected: list[tuple[int, str]]) -> None:
    out, warnings = expand(text, flavour, REFS, ignore)
    assert out == text
    assert [line for line, _ in warnings] == [line for line, _ in expected]
    for (_, message), (_, tag) in zip(warnings, expected, strict=True):
        assert tag in message
        assert "kept as written" in message
        assert "ignore_tags" in message


def test_warning_names_what_to_do() -> None:
    _, warnings = expand("{% include a.html %}", "jekyll", REFS)
    assert warnings == [
        (
            0,
            "the Liquid tag {% include %} is kept as written: feedpub does not run the site's templates; replace it "
            "with plain Markdown or HTML, or add 'include' to [build] ignore_tags to keep it without this warning",
        )
    ]


def test_lines_count_from_zero_across_expansions() -> None:
    text = "{% highlight py %}\na\nb\n{% endhighlight %}\n{{- site.url }}\n{% include x %}"
    out, warnings = expand(text, "jekyll", REFS)
    assert out == "```py\na\nb\n```\nhttps://example.org\n{% include x %}"
    assert [line for line, _ in warnings] == [5]


@pytest.mark.parametrize(
    ("flavour", "text"),
    [("jekyll", "{{ a {% b " * 10000), ("hugo", "{{< a {{% b " * 10000), ("jekyll", "{% raw %}x" * 10000)],
)
def test_unclosed_tags_take_linear_time(flavour: str, text: str) -> None:
    started = time.perf_counter()
    assert expand(text, flavour, REFS)[0] == text
    assert time.perf_counter() - started < 5  # each opening once rescanned the rest of the text: minutes here


def test_site_variables_are_printed() -> None:
    refs = SiteRefs(
        url="https://example.org/",
        find=lambda path: None,
        find_post=lambda name: None,
        variables={"repository": "https://github.com/jekyll/jekyll"},
    )
    text, warnings = expand("[#1]({{ site.repository }}/issues/1) {{ site.unknown }}", "jekyll", refs)
    assert text == "[#1](https://github.com/jekyll/jekyll/issues/1) {{ site.unknown }}"
    assert [line for line, _ in warnings] == [0]
