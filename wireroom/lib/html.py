"""Sanitizing issuers' HTML with nh3, and telling them what was taken out."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "q",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "caption", "figure",
    "figcaption", "hr", "abbr", "cite", "code", "pre", "span", "bdi", "bdo",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "bdo": {"dir"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Tags whose content is dropped with them, not kept as text.
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript",
                                "svg", "math", "form", "select", "textarea"})


@dataclass
class SanitizeResult:
    html: str
    removed: list[str] = field(default_factory=list)


class _Inventory(HTMLParser):
    """Lists what nh3 will remove, so the issuer can be told in plain words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        handlers = [name for name, _ in attrs if name.startswith("on")]
        for name in handlers:
            self.found[f"{name} event handler"] = None
        if tag not in ALLOWED_TAGS:
            self.found[f"<{tag}> element"] = None
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
        for name, value in attrs:
            if name in handlers:
                continue
            if name == "style":
                self.found["style attribute"] = None
            elif name not in allowed:
                self.found[f"{name} attribute"] = None
            elif name == "href" and value is not None:
                scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", html.unescape(value))
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    self.found[f"{scheme.group(1).lower()}: link"] = None


def sanitize_html(raw: str) -> SanitizeResult:
    inventory = _Inventory()
    inventory.feed(raw)
    inventory.close()
    cleaned = nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
    return SanitizeResult(html=cleaned, removed=list(inventory.found))


def html_to_text(fragment: str) -> str:
    """Plain text of a sanitized fragment, one paragraph per block, for text renditions."""
    block_end = re.sub(r"(?i)</(p|h[2-4]|li|blockquote|tr|figure|pre)>|<br\s*/?>", "\n\n", fragment)
    text = html.unescape(re.sub(r"<[^>]+>", "", block_end))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()
