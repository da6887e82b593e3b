"""Issuers' HTML is cleaned on the way in, and the issuer is told what went."""

from __future__ import annotations

from wireroom.lib.html import html_to_text, sanitize_html


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


def test_safe_markup_passes_untouched_and_links_are_nofollow() -> None:
    result = sanitize_html('<p dir="rtl">مرحبا <a href="https://nahr.example/">نهر</a></p><ul><li>one</li></ul>')
    assert result.removed == []
    assert '<p dir="rtl">' in result.html
    assert 'rel="noopener noreferrer nofollow"' in result.html


def test_text_rendering_keeps_paragraphs_apart() -> None:
    assert html_to_text("<p>One &amp; two</p><p>Three<br>four</p>") == "One & two\n\nThree\n\nfour"
