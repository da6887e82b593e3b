"""The distribution report: where every copy of a release went, for its issuer (in the workspace) and for the
wire's editors (in the desk), as a page, a CSV of every delivery and a PDF."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from wireroom.accounts.selectors import memberships_of
from wireroom.distribution import exports
from wireroom.distribution.report import release_report
from wireroom.releases.models import Release
from wireroom.releases.selectors import release_visible_to_user

STYLESHEET = "distribution/report.css"


def _release(request: HttpRequest, release_id: uuid.UUID, *, desk: bool) -> Release:
    """The release if the signed-in user may read its report: in the desk only the wire's staff (403 for anyone
    else); in the workspace its issuer's members, and the staff. Another organization's release is 404."""
    if desk and not any(member.is_wire_staff for member in memberships_of(user_id=request.user.pk)):
        raise PermissionDenied("The desk is for the wire's editors.")
    release = release_visible_to_user(user=request.user, release_id=release_id)
    if release is None:
        raise Http404("No such release.")
    return release


def _context(request: HttpRequest, release: Release, *, desk: bool) -> dict[str, Any]:
    report = release_report(release=release)
    prefix = "distribution:desk-report" if desk else "distribution:report"
    return {"report": report, "release": release, "desk": desk, "prefix": prefix,
            "generated_at": timezone.now()}


@require_safe
@login_required
def report_page(request: HttpRequest, release_id: uuid.UUID, desk: bool = False) -> HttpResponse:
    release = _release(request, release_id, desk=desk)
    return render(request, "distribution/report.html", _context(request, release, desk=desk))


@require_safe
@login_required
def report_csv(request: HttpRequest, release_id: uuid.UUID, desk: bool = False) -> StreamingHttpResponse:
    release = _release(request, release_id, desk=desk)
    # Under ASGI (the served wire) an async stream; a sync one under WSGI and the test client.
    lines = (exports.csv_lines_async(release_id=release.pk) if isinstance(request, ASGIRequest)
             else exports.csv_lines(release_id=release.pk))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deliveries-{release.pk}.csv"'
    return response


@require_safe
@login_required
def report_pdf(request: HttpRequest, release_id: uuid.UUID, desk: bool = False) -> FileResponse:
    release = _release(request, release_id, desk=desk)
    html = render_to_string("distribution/report_pdf.html", _context(request, release, desk=desk), request=request)
    stylesheet = finders.find(STYLESHEET)
    assert isinstance(stylesheet, str), "the report's stylesheet ships with the app"
    return FileResponse(exports.pdf_file(html, stylesheet=Path(stylesheet)), as_attachment=True,
                        filename=f"report-{release.pk}.pdf", content_type="application/pdf")


@require_safe
def old_report(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    """The report's first address, kept so that old links still lead to it."""
    return redirect("distribution:report", release_id=release_id, permanent=True)
