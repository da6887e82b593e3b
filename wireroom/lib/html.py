"""Sanitizing issuers' HTML with nh3, and telling them what was taken out.

nh3 (html5ever underneath) is the sanitizer of record: whatever reaches the database went through it. It is
not fed the issuer's HTML as it came, though. A first pass here reads the input once, in linear time, the way
an HTML5 tokenizer does, and

- drops what the allow-list does not keep, noting each removal with a fixed, clean label;
- re-emits what is left as plain, balanced markup: allowed tags with quoted attributes, escaped text, an end
  tag for every element it opened; no comments, no raw-text or foreign content whose reading depends on
  context;
- refuses a body nested deeper than `MAX_DEPTH` elements before any tree is built. An HTML5 tree builder
  walks the stack of open elements for nearly every tag, so deep nesting (or misnesting that makes it clone
  formatting elements over and over) costs time in the square of the depth: 50,000 nested `<ul>` took nh3
  seconds, and one crafted paragraph list grew the output quadratically.

nh3 then parses input whose every tag this pass has seen, nested at most `MAX_DEPTH` deep, so its work is
linear, and what it removes on top (links its URL parser refuses) is found by comparing and reported too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.entities import html5 as _ENTITIES

import nh3

from wireroom.lib.errors import InvalidInput

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
# Elements whose text an HTML parser does not read as markup; they go with all they hold.
_RAW_TEXT = frozenset({"script", "style", "iframe", "noscript", "noembed", "noframes", "textarea", "title", "xmp"})
# Elements whose content is markup but goes with them.
_DROPPED_TREES = frozenset({"svg", "math", "template", "object", "form", "select"})
# Tags whose content is dropped with them, not kept as text.
CLEAN_CONTENT_TAGS = _RAW_TEXT | _DROPPED_TREES | {"embed"}
# The deepest nesting accepted. Real releases stay under 15; 64 leaves room for tables in lists in quotes.
MAX_DEPTH = 64
# Longer tag and attribute names are not repeated in labels.
MAX_NAME = 40
# At most this many different kinds of removal are listed; the rest are summed up in one more line.
MAX_LABELS = 30

# The HTML standard's element categories, as far as they decide where an element ends.
_SPECIAL = frozenset({
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br",
    "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed",
    "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link",
    "listing", "main", "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol",
    "p", "param", "plaintext", "pre", "script", "search", "section", "select", "source", "style", "summary",
    "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul",
    "wbr", "xmp",
})
_FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
                         "tt", "u"})
_SCOPE = frozenset({"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"})
_TABLE_SCOPE = frozenset({"html", "table", "template"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search",
    "section", "summary", "ul", "pre", "listing", "plaintext", "table", "hr", "dd", "dt", "li", *_HEADINGS,
})
# Never open: void elements, and the document's own elements, which a fragment parser ignores.
_NEVER_OPEN = frozenset({
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "image", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr", "html", "head", "body", "frameset",
})
_FOREIGN = frozenset({"svg", "math"})

_SIMPLE_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)>")
_TAG_NAME = re.compile(r"[a-zA-Z][^\t\n\f\r />]*")
_SEPARATORS = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r /=>]*")
_EQUALS = re.compile(r"[\t\n\f\r ]*=[\t\n\f\r ]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_DOCTYPE = re.compile(r"<!doctype", re.IGNORECASE | re.ASCII)
# Named references are at most 32 characters long, with the ';'; a longer run of letters is not one.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[a-zA-Z][a-zA-Z0-9]{0,31};?)")
_COMMENT_END = re.compile(r"--!?>")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_CLEAN_NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_:.][a-z0-9]+)*")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# What a URL parser strips around a URL (C0 controls and space) and inside it (tab and newlines).
_URL_EDGES = "".join(map(chr, range(0x21)))
_URL_INSIDE = re.compile(r"[\t\n\r]")

# Where raw text ends: at the first end tag of its element followed by white space, '/' or '>'.
_RAW_ENDS = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE | re.ASCII) for name in _RAW_TEXT}

Attributes = list[tuple[str, str]]


class HtmlTooDeep(InvalidInput):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The HTML nests elements more than {limit} deep.", details={"limit": limit})
        self.limit = limit


@dataclass
class SanitizeResult:
    html: str
    removed: list[str] = field(default_factory=list)


def _lower(name: str) -> str:
    return name.translate(_ASCII_LOWER)


def _decode_attribute(value: str) -> str:
    """Character references in an attribute value, decoded as an HTML5 parser does."""
    if "&" not in value:
        return value

    def one(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref[0] == "#":
            return html.unescape(match.group(0) if ref.endswith(";") else f"{match.group(0)};")
        if ref.endswith(";") and ref in _ENTITIES:
            return _ENTITIES[ref]
        name = ref.rstrip(";")
        for length in range(len(name), 1, -1):
            if name[:length] in _ENTITIES:
                after = value[match.start(1) + length: match.start(1) + length + 1]
                # In attributes a legacy reference without ';' stays literal before '=' or a letter or digit.
                if after == "=" or (after.isascii() and after.isalnum()):
                    return match.group(0)
                return _ENTITIES[name[:length]] + ref[length:]
        return match.group(0)

    return _CHARREF.sub(one, value)


def _scheme(url: str) -> str | None:
    """The scheme a URL parser would find, lower-cased; None for a relative URL."""
    found = _SCHEME.match(_URL_INSIDE.sub("", url.strip(_URL_EDGES)))
    return _lower(found.group(1)) if found else None


def _scan_attributes(text: str, pos: int) -> tuple[Attributes, bool, int] | None:
    """The attributes from `pos` to the end of a tag, whether it self-closes, and where it ends.

    None when the input ends inside the tag: an HTML parser then drops the tag.
    """
    attributes: Attributes = []
    end = len(text)
    while True:
        gap = _SEPARATORS.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
        if gap >= end:
            return None
        if text[gap] == ">":
            return attributes, gap > pos and text[gap - 1] == "/", gap + 1
        name_end = _ATTRIBUTE_NAME.match(text, gap).end()  # type: ignore[union-attr]  # one char at least
        name = _lower(text[gap:name_end])
        equals = _EQUALS.match(text, name_end)
        if equals is None:
            attributes.append((name, ""))
            pos = name_end
            continue
        pos = equals.end()
        if pos >= end:
            return None
        quote = text[pos]
        if quote in "\"'":
            close = text.find(quote, pos + 1)
            if close < 0:
                return None
            attributes.append((name, _decode_attribute(text[pos + 1:close])))
            pos = close + 1
        else:
            value_end = _UNQUOTED.match(text, pos).end()  # type: ignore[union-attr]  # may be empty
            attributes.append((name, _decode_attribute(text[pos:value_end])))
            pos = value_end


def _element_label(name: str) -> str:
    if not _CLEAN_NAME.fullmatch(name):
        return "malformed element"
    return f"<{name}> element" if len(name) <= MAX_NAME else "element with a long name"


def _attribute_label(name: str) -> str:
    if not _CLEAN_NAME.fullmatch(name):
        return "malformed attribute"
    if len(name) > MAX_NAME:
        return "attribute with a long name"
    return f"{name} event handler" if name.startswith("on") else f"{name} attribute"


def _link_label(url: str) -> str:
    scheme = _scheme(url)
    if scheme is None or scheme in URL_SCHEMES:
        return "invalid link"
    return f"{scheme}: link" if len(scheme) <= 20 else "link with an unknown scheme"


class _Filter:
    """One pass over the input: removals noted, the rest re-emitted as balanced markup."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.out: list[str] = []
        self.open: list[str] = []  # open elements, kept or not: removed ones still shape the tree
        self.found: dict[str, None] = {}
        self.hrefs: set[str] = set()
        self.skipping: str | None = None  # a dropped element whose content is being passed over
        self.skip_depth = 0

    def run(self, text: str) -> str:
        pos, end = 0, len(text)
        while pos < end:
            lt = text.find("<", pos)
            if lt < 0:
                self._text(text[pos:])
                break
            if lt > pos:
                self._text(text[pos:lt])
            pos = self._markup(text, lt)
        self._close(0)
        return "".join(self.out)

    def _note(self, label: str) -> None:
        self.found[label] = None

    def _text(self, text: str) -> None:
        if self.skipping is None:
            self.out.append(text.replace("<", "&lt;"))

    def _markup(self, text: str, lt: int) -> int:
        """Read the markup that starts at `lt`; return where reading goes on."""
        simple = _SIMPLE_TAG.match(text, lt)
        if simple:
            # Most tags have no attributes; matched whole, they cost about a quarter less.
            if simple.group(1):
                self._end(_lower(simple.group(2)))
                return simple.end()
            return self._start(text, _lower(simple.group(2)), [], False, simple.end())
        after = text[lt + 1:lt + 2]
        if after.isascii() and after.isalpha():
            name_end = _TAG_NAME.match(text, lt + 1).end()  # type: ignore[union-attr]  # a letter is there
            tag = _scan_attributes(text, name_end)
            if tag is None:
                return len(text)
            attributes, self_closing, pos = tag
            return self._start(text, _lower(text[lt + 1:name_end]), attributes, self_closing, pos)
        if after == "/":
            return self._end_tag(text, lt)
        if after == "!":
            return self._declaration(text, lt)
        if after == "?":
            return self._bogus_comment(text, lt + 2)
        self._text("<")
        return lt + 1

    def _end_tag(self, text: str, lt: int) -> int:
        first = text[lt + 2:lt + 3]
        if first == ">":
            return lt + 3
        if not first:
            self._text("</")
            return lt + 2
        if not (first.isascii() and first.isalpha()):
            return self._bogus_comment(text, lt + 2)
        name_end = _TAG_NAME.match(text, lt + 2).end()  # type: ignore[union-attr]  # a letter is there
        tag = _scan_attributes(text, name_end)
        if tag is None:
            return len(text)
        self._end(_lower(text[lt + 2:name_end]))
        return tag[2]

    def _declaration(self, text: str, lt: int) -> int:
        if text.startswith("<!--", lt):
            if self.skipping is None:
                self._note("comment")
            body = lt + 4
            if text.startswith(">", body):
                return body + 1
            if text.startswith("->", body):
                return body + 2
            comment_end = _COMMENT_END.search(text, body)
            return comment_end.end() if comment_end else len(text)
        if self.skipping in _FOREIGN and text.startswith("<![CDATA[", lt):
            close = text.find("]]>", lt + 9)
            return close + 3 if close >= 0 else len(text)
        if _DOCTYPE.match(text, lt) and self.skipping is None:
            self._note("doctype declaration")
            close = text.find(">", lt)
            return close + 1 if close >= 0 else len(text)
        return self._bogus_comment(text, lt + 2)

    def _bogus_comment(self, text: str, pos: int) -> int:
        if self.skipping is None:
            self._note("comment")
        close = text.find(">", pos)
        return close + 1 if close >= 0 else len(text)

    def _start(self, text: str, name: str, attributes: Attributes, self_closing: bool, pos: int) -> int:
        if self.skipping is not None:
            return self._start_while_skipping(text, name, self_closing, pos)
        for attribute, _ in attributes:
            if attribute.startswith("on"):
                self._note(_attribute_label(attribute))
        if name in _RAW_TEXT:
            self._note(_element_label(name))
            found = _RAW_ENDS[name].search(text, pos)
            return found.start() if found else len(text)
        if name in CLEAN_CONTENT_TAGS:
            self._note(_element_label(name))
            if not (self_closing and name in _FOREIGN) and name not in _NEVER_OPEN:
                self.skipping, self.skip_depth = name, 1
            return pos
        self._close_implied(name)
        if name == "plaintext":
            # Everything after it is text to an HTML parser.
            self._note(_element_label(name))
            self.out.append(html.escape(text[pos:], quote=False))
            return len(text)
        if name in ALLOWED_TAGS:
            self._emit_start(name, attributes)
        else:
            self._note(_element_label(name))
        if name not in _NEVER_OPEN:
            if len(self.open) >= self.max_depth:
                raise HtmlTooDeep(self.max_depth)
            self.open.append(name)
        return pos

    def _start_while_skipping(self, text: str, name: str, self_closing: bool, pos: int) -> int:
        container = self.skipping
        if name == container:
            if container == "select":
                # A select inside a select closes it.
                self.skipping = None
            elif not (self_closing and container in _FOREIGN) and container != "form":
                self.skip_depth += 1
        elif name in _RAW_TEXT and container not in _FOREIGN:
            found = _RAW_ENDS[name].search(text, pos)
            return found.start() if found else len(text)
        return pos

    def _emit_start(self, name: str, attributes: Attributes) -> None:
        allowed = ALLOWED_ATTRIBUTES.get(name, set()) | ALLOWED_ATTRIBUTES["*"]
        kept: dict[str, str] = {}
        seen: set[str] = set()
        for attribute, value in attributes:
            if attribute.startswith("on"):
                continue
            if attribute not in allowed:
                self._note(_attribute_label(attribute))
            elif attribute in seen:
                # An HTML parser keeps the first of two attributes with one name.
                self._note(f"duplicate {attribute} attribute")
            elif attribute == "href" and _scheme(value) not in {None, *URL_SCHEMES}:
                self._note(_link_label(value))
            else:
                kept[attribute] = value
                if attribute == "href":
                    self.hrefs.add(value)
            seen.add(attribute)
        quoted = "".join(f' {key}="{value.replace("&", "&amp;").replace(chr(34), "&quot;")}"'
                         for key, value in kept.items())
        self.out.append(f"<{name}{quoted}>")

    def _close_implied(self, name: str) -> None:
        """End what an HTML parser ends when `name` starts, writing the end tags it would imply."""
        if name in _CLOSES_P:
            self._close_found({"p"}, _SCOPE | {"button"})
        if name in _HEADINGS and self.open and self.open[-1] in _HEADINGS:
            self._close(len(self.open) - 1)
        if name == "li":
            self._close_found({"li"}, _SPECIAL - {"address", "div", "p"})
        elif name in ("dd", "dt"):
            self._close_found({"dd", "dt"}, _SPECIAL - {"address", "div", "p"})
        elif name in ("td", "th"):
            self._close_found({"td", "th"}, _TABLE_SCOPE)
        elif name == "tr":
            self._close_found({"tr"}, _TABLE_SCOPE)
        elif name in ("tbody", "thead", "tfoot"):
            self._close_found({"tbody", "thead", "tfoot"}, _TABLE_SCOPE)
        elif name in ("a", "nobr", "button"):
            self._close_found({name}, _SCOPE)

    def _end(self, name: str) -> None:
        if self.skipping is not None:
            if name == self.skipping:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skipping = None
            return
        if name == "br":
            # An HTML parser reads </br> as <br>.
            self.out.append("<br>")
        elif name == "p":
            self._close_found({"p"}, _SCOPE | {"button"})
        elif name == "li":
            self._close_found({"li"}, _SCOPE | {"ol", "ul"})
        elif name in _HEADINGS:
            self._close_found(_HEADINGS, _SCOPE)
        elif name in ("td", "th", "tr", "tbody", "thead", "tfoot", "table", "caption"):
            self._close_found({name}, _TABLE_SCOPE)
        elif name in _SPECIAL or name in _FORMATTING:
            self._close_found({name}, _SCOPE)
        else:
            self._close_found({name}, _SPECIAL)

    def _close_found(self, names: set[str] | frozenset[str], stop: set[str] | frozenset[str]) -> None:
        """Close the innermost open element named in `names`, unless an element in `stop` comes first."""
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index] in names:
                self._close(index)
                return
            if self.open[index] in stop:
                return

    def _close(self, index: int) -> None:
        while len(self.open) > index:
            name = self.open.pop()
            if name in ALLOWED_TAGS:
                self.out.append(f"</{name}>")


def _hrefs(fragment: str) -> set[str]:
    """The link targets in nh3's output (well-formed: every '<' in it starts a tag)."""
    found: set[str] = set()
    pos = fragment.find("<a ")
    while pos >= 0:
        tag = _scan_attributes(fragment, pos + 2)
        if tag is None:
            break
        found.update(value for name, value in tag[0] if name == "href")
        pos = fragment.find("<a ", tag[2])
    return found


# Every link in a release is the issuer's, not the wire's: marked sponsored (and nofollow) for search engines.
LINK_REL = "sponsored noopener noreferrer nofollow"


def sanitize_html(raw: str, *, max_depth: int = MAX_DEPTH) -> SanitizeResult:
    """Clean `raw` against the allow-list; `HtmlTooDeep` if it nests more than `max_depth` elements."""
    pass_one = _Filter(max_depth)
    balanced = pass_one.run(raw.replace("\0", ""))
    cleaned = nh3.clean(
        balanced,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
    removed = pass_one.found
    for url in pass_one.hrefs - _hrefs(cleaned):
        removed[_link_label(url)] = None
    labels = list(removed)
    if len(labels) > MAX_LABELS:
        labels = [*labels[:MAX_LABELS - 1], f"{len(labels) - MAX_LABELS + 1} more kinds of markup"]
    return SanitizeResult(html=cleaned, removed=labels)


def html_to_text(fragment: str) -> str:
    """Plain text of a sanitized fragment, one paragraph per block, for text renditions."""
    block_end = re.sub(r"(?i)</(p|h[2-4]|li|blockquote|tr|figure|pre)>|<br\s*/?>", "\n\n", fragment)
    text = html.unescape(re.sub(r"<[^>]+>", "", block_end))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()
