"""Issuers' HTML is cleaned on the way in, and the issuer is told what went."""

from __future__ import annotations

import re

import nh3
import pytest

from wireroom.lib.html import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    CLEAN_CONTENT_TAGS,
    LINK_REL,
    MAX_DEPTH,
    MAX_LABELS,
    URL_SCHEMES,
    HtmlTooDeep,
    html_to_text,
    sanitize_html,
)

# Every label is one of these shapes, with names of letters and digits (and -, _, : or . between them): no
# markup an attacker wrote comes back in a label.
CLEAN_LABEL = re.compile(
    r"<[a-z][a-z0-9_:.-]*> element|[a-z][a-z0-9_:.-]* (attribute|event handler)|duplicate [a-z]+ attribute"
    r"|[a-z][a-z0-9+.-]*: link|invalid link|link with an unknown scheme|malformed (element|attribute)"
    r"|(element|attribute) with a long name|comment|doctype declaration|\d+ more kinds of markup"
)


def _assert_clean(labels: list[str]) -> None:
    for label in labels:
        assert CLEAN_LABEL.fullmatch(label), label


def test_scripts_handlers_styles_and_javascript_links_are_removed_and_reported() -> None:
    hostile = (
        '<p style="color:red" onclick="steal()">Hello <script>alert(1)</script><b>world</b></p>'
        '<a href="javascript:alert(2)">click</a><a href="JaVaScRiPt&#58;alert(3)">again</a>'
        '<iframe src="https://evil.example"></iframe><img src=x onerror=alert(4)>'
        '<form action="/x"><input name="a"></form><svg><script>alert(5)</script></svg>'
    )
    result = sanitize_html(hostile)
    lowered = result.html.lower()
    for bad in ("script", "onclick", "onerror", "style", "javascript", "iframe", "<img", "<form", "<svg", "alert"):
        assert bad not in lowered, bad
    assert "<b>world</b>" in result.html
    assert {"<script> element", "onclick event handler", "style attribute", "javascript: link",
            "<iframe> element", "<img> element", "onerror event handler"} <= set(result.removed)
    _assert_clean(result.removed)


def test_safe_markup_passes_untouched_and_links_are_sponsored_and_nofollow() -> None:
    result = sanitize_html('<p dir="rtl">مرحبا <a href="https://nahr.example/">نهر</a></p><ul><li>one</li></ul>')
    assert result.removed == []
    assert '<p dir="rtl">' in result.html
    assert 'rel="sponsored noopener noreferrer nofollow"' in result.html


def test_a_javascript_link_split_by_an_encoded_tab_is_reported() -> None:
    result = sanitize_html('<p><a href="java&#x09;script:alert(1)">Read more</a></p>')
    assert "href" not in result.html
    assert result.removed == ["javascript: link"]


def test_a_tag_name_with_markup_in_it_gets_a_clean_label() -> None:
    result = sanitize_html("<p>Hi<scr<script>alert(1)</script></p>")
    assert "<script" not in result.html
    assert result.removed == ["malformed element"]


@pytest.mark.parametrize(("hostile", "reported"), [
    ('<a href="&#106;avascript:alert(1)">x</a>', "javascript: link"),
    ('<a href="&#x6A;&#x61;vascript&colon;alert(1)">x</a>', "javascript: link"),
    ('<a href="JAVASCRIPT:alert(1)">x</a>', "javascript: link"),
    ('<a href="java&NewLine;script:alert(1)">x</a>', "javascript: link"),
    ('<a href="java\nscript:alert(1)">x</a>', "javascript: link"),
    ('<a href=" \x01\x1fjavascript:alert(1)">x</a>', "javascript: link"),
    ('<a href="&#0000106avascript:alert(1)">x</a>', "javascript: link"),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', "data: link"),
    ('<a href="VBScript:msgbox(1)">x</a>', "vbscript: link"),
    ('<a href="https://ok.example/" href="javascript:alert(1)">x</a>', "duplicate href attribute"),
    ('<a href="http://nahr.example:99999/">x</a>', "invalid link"),
    ('<a href="https://na hr.example/">x</a>', "invalid link"),
    ('<a href="' + "x" * 30 + ':alert(1)">x</a>', "link with an unknown scheme"),
    ('<p/onmouseover="alert(1)">x</p>', "onmouseover event handler"),
    ('<p ONCLICK=alert(1)>x</p>', "onclick event handler"),
    ('<details open ontoggle=alert(1)>x</details>', "ontoggle event handler"),
    ('<p "onclick=alert(1)">x</p>', "malformed attribute"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "style attribute"),
    ('<p class="MsoNormal">x</p>', "class attribute"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "<iframe> element"),
    ('<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "<svg> element"),
    ('<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>', "<math> element"),
    ('<object data="x.swf"></object><embed src="x.swf">', "<object> element"),
    ('<style>p{color:red}</style>', "<style> element"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta> element"),
    ('<base href="https://evil.example/">', "<base> element"),
    ('<!--[if IE]><script>alert(1)</script><![endif]-->', "comment"),
    ("<?xml version='1.0'?><p>x</p>", "comment"),
    ('<!DOCTYPE html><p>x</p>', "doctype declaration"),
    ("<" + "x" * 60 + ">x", "element with a long name"),
])
def test_every_kind_of_removal_is_reported_with_a_clean_label(hostile: str, reported: str) -> None:
    result = sanitize_html(f"<p>Before</p>{hostile}<p>After</p>")
    assert reported in result.removed
    _assert_clean(result.removed)
    # The links' own rel (its "sponsored" holds "on") is the sanitizer's, not the input's.
    lowered = result.html.lower().replace(f'rel="{LINK_REL}"', "")
    for bad in ("javascript", "vbscript", "data:", "alert", "<script", "<svg", "<math", "<iframe", "style=",
                "on", "<meta", "<base"):
        assert bad not in lowered.replace("<p>before</p>", "").replace("<p>after</p>", ""), bad
    assert result.html.startswith("<p>Before</p>")


def test_a_link_is_reported_exactly_when_its_target_is_removed() -> None:
    kept = ["https://nahr.example/a?b=1&copy=2", "mailto:press@nahr.example", "tel:+971 4 000 0000",
            "/relative/page", "//nahr.example/x", "#section"]
    removed = ["javascript:alert(1)", "http://[::1", "https:"]
    result = sanitize_html("".join(f'<a href="{url.replace("&", "&amp;")}">x</a>' for url in kept + removed))
    hrefs = re.findall(r'href="([^"]*)"', result.html)
    assert [href.replace("&amp;", "&") for href in hrefs] == kept
    assert result.removed == ["javascript: link", "invalid link"]


def test_nesting_deeper_than_the_limit_is_refused_without_parsing_it() -> None:
    with pytest.raises(HtmlTooDeep) as refused:
        sanitize_html("<ul>" * 49_999 + "x")
    assert refused.value.limit == MAX_DEPTH == 64
    assert refused.value.details == {"limit": 64}


def test_nesting_up_to_the_limit_is_kept_and_closed_or_implied_ends_do_not_count() -> None:
    at_limit = sanitize_html("<blockquote>" * MAX_DEPTH + "deep")
    assert at_limit.html.count("<blockquote>") == MAX_DEPTH
    with pytest.raises(HtmlTooDeep):
        sanitize_html("<blockquote>" * (MAX_DEPTH + 1) + "deep")
    # Unclosed paragraphs, list items and cells end where an HTML parser ends them.
    sloppy = sanitize_html("<p>one" * 500 + "<ul>" + "<li>item" * 500 + "</ul><table>" + "<tr><td>a<td>b" * 200)
    assert sloppy.html.count("<p>") == 500
    assert sloppy.html.count("<li>") == 500
    assert sloppy.html.count("<td>") == 400
    assert sanitize_html("<div><font>x</font></div>" * 1000).html == "x" * 1000


def test_misnested_formatting_cannot_multiply_the_output() -> None:
    # An HTML parser re-opens formatting elements a paragraph left open; with distinct attributes it keeps
    # them all, so each paragraph used to hold one more <b> than the one before.
    result = sanitize_html("".join(f"<p><b id={n}>x</p>" for n in range(300)))
    assert result.html == "<p><b>x</b></p>" * 300
    assert result.removed == ["id attribute"]


def test_markup_inside_foreign_content_never_reaches_the_parser() -> None:
    # In <svg>, <style> is not raw text, so a pre-scan that treated it as such would miss the <ul>s.
    result = sanitize_html("<svg><style>" + "<ul>" * 20_000 + "</style></svg><p>After</p>")
    assert result.html == "<p>After</p>"
    assert result.removed == ["<svg> element"]


def test_the_list_of_removals_stays_short() -> None:
    result = sanitize_html("".join(f"<x-tag{n}>t</x-tag{n}>" for n in range(100)))
    assert len(result.removed) == MAX_LABELS
    assert result.removed[-1] == f"{100 - MAX_LABELS + 1} more kinds of markup"
    _assert_clean(result.removed)


def test_text_that_looks_like_markup_stays_text() -> None:
    result = sanitize_html("<p>5 < 6 & 7 > 3, a <= b, x &lt;script&gt;</p>")
    assert result.html == "<p>5 &lt; 6 &amp; 7 &gt; 3, a &lt;= b, x &lt;script&gt;</p>"
    assert result.removed == []


@pytest.mark.parametrize("document", [
    "<p class=MsoNormal><b><span lang=EN-US style='font-size:12pt'>Nahr Energy<o:p></o:p></span></b></p>"
    "<ul><li class=MsoListParagraph>First<li>Second</ul><table><tr><td width=200>A<td>B<tr><td>C</table>",
    "<b id=docs-internal-guid-1><p dir=ltr><span>One</span></p><p dir=ltr><span>Two</span></p></b>",
    "<p>Unclosed<p>paragraphs<blockquote>and a quote<p>inside</blockquote><h2>A heading<p>after",
    "<div dir=rtl><p>نهر <a href='https://nahr.example/?a=1&amp;b=2' title=\"x > y\">للطاقة</a></p></div>",
    "<a href=https://nahr.example/><div><p>A block link</p></div></a><dl><dt>Term<dd>Meaning</dl>",
])
def test_well_nested_html_comes_out_as_nh3_alone_makes_it(document: str) -> None:
    alone = nh3.clean(document, tags=set(ALLOWED_TAGS), clean_content_tags=set(CLEAN_CONTENT_TAGS),
                      attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
                      url_schemes=set(URL_SCHEMES), link_rel=LINK_REL).strip()
    assert sanitize_html(document).html == alone


def test_text_rendering_keeps_paragraphs_apart() -> None:
    assert html_to_text("<p>One &amp; two</p><p>Three<br>four</p>") == "One & two\n\nThree\n\nfour"
