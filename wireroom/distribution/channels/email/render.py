"""The e-mail rendering of a version, once per language, made before the staging transaction opens.

Each RenderedItem(format="email") holds the subject, the HTML part (CSS inlined in `style` attributes, as mail
clients want it) and the text part, with placeholders where the recipient's name and links go. The fan-out
only substitutes those (see `message.py`).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wireroom.anatomy.render import Anatomy, render_item
from wireroom.brand.selectors import brand
from wireroom.distribution.channels.registry import Recipients
from wireroom.distribution.renderings import Renderings
from wireroom.lib.html import html_to_text
from wireroom.lib.text import isolate
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Action, Release

FORMAT = "email"

# What the fan-out replaces per recipient, by plain string replacement. The name is HTML-escaped in the HTML part.
NAME = "{{wr:name}}"
UNSUBSCRIBE_URL = "{{wr:unsubscribe}}"
PREFERENCES_URL = "{{wr:preferences}}"
PLACEHOLDER_START = "{{wr:"

FONT = "-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Arabic','Noto Sans CJK SC',Arial,sans-serif"

# Issuers' HTML is sanitized (no style attributes survive), so each element gets its style here.
_BODY_STYLES = {
    "p": "margin:0 0 16px 0;",
    "h2": "margin:24px 0 12px 0;font-size:20px;line-height:1.3;",
    "h3": "margin:20px 0 10px 0;font-size:17px;line-height:1.3;",
    "h4": "margin:16px 0 8px 0;font-size:15px;line-height:1.3;",
    "a": "color:#0b57d0;text-decoration:underline;",
    "blockquote": "margin:0 0 16px 0;padding:0 16px;border-inline-start:3px solid #d0d0d0;color:#444444;",
    "ul": "margin:0 0 16px 0;padding-inline-start:24px;",
    "ol": "margin:0 0 16px 0;padding-inline-start:24px;",
    "li": "margin:0 0 6px 0;",
    "table": "border-collapse:collapse;margin:0 0 16px 0;",
    "th": "border:1px solid #d0d0d0;padding:6px 8px;background:#f4f4f2;",
    "td": "border:1px solid #d0d0d0;padding:6px 8px;",
    "figcaption": "font-size:13px;color:#555555;",
    "pre": "white-space:pre-wrap;font-size:13px;",
}
_BODY_TAG = re.compile(r"<(" + "|".join(_BODY_STYLES) + r")(?=[\s>])", re.IGNORECASE)


def inline_body_styles(body_html: str) -> str:
    return _BODY_TAG.sub(lambda m: f'<{m.group(1)} style="{_BODY_STYLES[m.group(1).lower()]}"', body_html)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _strings(action: str, item: Anatomy, note: str, sentinels: dict[str, str], wire: str) -> dict[str, str]:
    """Every fixed string of the message, in the item's language (the caller holds the translation)."""
    # Isolated, so a right-to-left headline or a stray bidi override cannot reorder the prefix beside it.
    headline = isolate(_one_line(item.headline))
    if action == Action.WITHDRAW:
        subject = _("Withdrawn: %(headline)s") % {"headline": headline}
    elif action == Action.CORRECT:
        subject = _("Correction: %(headline)s") % {"headline": headline}
    else:
        subject = headline
    return {
        "subject": subject,
        "kill_notice": _("This release has been withdrawn; do not use it.") if action == Action.WITHDRAW else "",
        "reason": _("Reason: %(reason)s") % {"reason": note} if action == Action.WITHDRAW and note else "",
        "view_online": _("View online"),
        "sent_to": _("Sent to %(name)s by %(wire)s.") % {"name": sentinels[NAME], "wire": wire},
        "preferences": _("Manage your preferences"),
        "unsubscribe": _("Unsubscribe"),
    }


def render_email(release: Release, version: int, action: str, language: str, *, note: str = "") -> dict[str, Any]:
    """The payload of one RenderedItem: subject, html, text, and the language the content is actually in."""
    item = render_item(release, language, correction_note=note if action == Action.CORRECT else "")
    # Unique stand-ins while rendering, so the placeholders can't be forged by text in the release itself.
    sentinels = {key: f"wrsentinel{uuid.uuid4().hex}" for key in (NAME, UNSUBSCRIBE_URL, PREFERENCES_URL)}
    wire = brand(language=item.language).wire_name
    with translation.override(item.django_language):
        strings = _strings(action, item, note, sentinels, wire)
        online_url = "" if action == Action.WITHDRAW else settings.BASE_URL + reverse(
            "newsroom:release", kwargs={"release_id": release.id, "language": item.language})
        context = {
            "item": item,
            "kill": action == Action.WITHDRAW,
            "strings": strings,
            "wire_name": wire,
            "lede_html": inline_body_styles(item.lede_html),
            "body_html": inline_body_styles(item.rest_html),
            "body_text": html_to_text(item.rest_html),
            "online_url": online_url,
            "align": "right" if item.direction == "rtl" else "left",
            "font": FONT,
            "unsubscribe_url": sentinels[UNSUBSCRIBE_URL],
            "preferences_url": sentinels[PREFERENCES_URL],
        }
        html = str(render_to_string("email/message.html", context))
        text = str(render_to_string("email/message.txt", context)).rstrip("\n") + "\n"
    html = html.replace(PLACEHOLDER_START, "{{wr&#58;")
    text = text.replace(PLACEHOLDER_START, "{{wr\u200b:")
    for placeholder, sentinel in sentinels.items():
        html = html.replace(sentinel, placeholder)
        text = text.replace(sentinel, placeholder)
    return {"subject": strings["subject"], "html": html, "text": text, "language": item.language}


def keys(recipients: Recipients) -> frozenset[str]:
    """One rendering per language the recipients read it in."""
    return recipients.languages - {"*"}


def render(release: Release, upcoming: Upcoming, languages: frozenset[str]) -> Renderings:
    """The upcoming version for e-mail in each of `languages`; writes nothing."""
    note = upcoming.note if upcoming.action in (Action.CORRECT, Action.WITHDRAW) else ""
    return {(FORMAT, tag): render_email(release, upcoming.number, upcoming.action, tag, note=note)
            for tag in sorted(languages)}
