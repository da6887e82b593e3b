"""The operator's view of the local outbox: `/console/outbox/`, staff only."""

from __future__ import annotations

from email.message import EmailMessage

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from wireroom.distribution.channels.email.outbox import list_messages, read_message, read_raw

PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


@staff_member_required
@require_safe
def outbox_list(request: HttpRequest) -> HttpResponse:
    page = _page_number(request)
    entries, total = list_messages(settings.OUTBOX_DIR, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return HttpResponse(render_to_string("email/outbox_list.html", {
        "entries": entries, "total": total, "page": page, "pages": pages,
        "previous_page": page - 1 if page > 1 else None, "next_page": page + 1 if page < pages else None,
        "smtp_configured": bool(settings.SMTP_URL), "outbox_dir": settings.OUTBOX_DIR,
    }, request))


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        return ""
    return content if isinstance(content, str) else ""


@staff_member_required
@require_safe
def outbox_message(request: HttpRequest, name: str) -> HttpResponse:
    message = read_message(settings.OUTBOX_DIR, name)
    if message is None:
        raise Http404("No such message in the outbox.")
    headers = [(key, str(value)) for key, value in message.items() if key.lower() != "dkim-signature"]
    signatures = len(message.get_all("DKIM-Signature") or [])
    return HttpResponse(render_to_string("email/outbox_message.html", {
        "name": name, "subject": str(message.get("Subject", "")), "headers": headers, "signatures": signatures,
        "html": bool(_part(message, "html")), "text": _part(message, "plain"),
    }, request))


# The message's HTML, for the sandboxed frame of the message page only: its inline styles may apply (e-mail
# has no other kind), nothing else: no script, no plug-in, no request to anywhere (remote images included).
@csp({"default-src": [NONE], "style-src": [UNSAFE_INLINE], "img-src": ["data:"], "base-uri": [NONE],  # type: ignore[arg-type]
      "form-action": [NONE], "frame-ancestors": [SELF], "sandbox": [True]})  # django-csp types views as f(request)
@staff_member_required
@require_safe
@xframe_options_sameorigin
def outbox_html(request: HttpRequest, name: str) -> HttpResponse:
    message = read_message(settings.OUTBOX_DIR, name)
    html = _part(message, "html") if message is not None else ""
    if not html:
        raise Http404("No such message in the outbox, or it has no HTML part.")
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@staff_member_required
@require_safe
def outbox_raw(request: HttpRequest, name: str) -> HttpResponse:
    raw = read_raw(settings.OUTBOX_DIR, name)
    if raw is None:
        raise Http404("No such message in the outbox.")
    response = HttpResponse(raw, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
