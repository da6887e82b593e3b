"""The distribution report: where every copy of a release went, for its issuer (in the workspace) and for the
wire's editors (in the desk), as a page, a CSV of every delivery, a PDF, and the delivery log's receipts."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from wireroom.accounts.access import member_required
from wireroom.accounts.models import Membership
from wireroom.accounts.navigation import issues_releases, works_the_desk
from wireroom.distribution import exports
from wireroom.distribution.report import release_report
from wireroom.lib.errors import NotFound
from wireroom.releases.models import Release
from wireroom.releases.selectors import release_for
from wireroom.trust import services as trust_services

STYLESHEET = "distribution/report.css"


def _reader(membership: Membership) -> bool:
    return issues_releases(membership) or works_the_desk(membership)


def _release(membership: Membership, release_id: uuid.UUID) -> Release:
    """The release if this membership may see it (its issuer's members, the wire's staff); else 404."""
    try:
        return release_for(actor=membership, release_id=release_id)
    except NotFound:
        raise Http404("No such release.") from None


def _context(release: Release, *, desk: bool) -> dict[str, Any]:
    report = release_report(release=release)
    prefix = "distribution:desk-report" if desk else "distribution:report"
    return {"report": report, "release": release, "desk": desk, "prefix": prefix, "generated_at": timezone.now()}


def _page(request: HttpRequest, membership: Membership, release_id: uuid.UUID, *, desk: bool) -> HttpResponse:
    release = _release(membership, release_id)
    return render(request, "distribution/report.html", _context(release, desk=desk))


def _csv(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> StreamingHttpResponse:
    release = _release(membership, release_id)
    # Under ASGI (the served wire) an async stream; a sync one under WSGI and the test client.
    lines = (exports.csv_lines_async(release_id=release.pk) if isinstance(request, ASGIRequest)
             else exports.csv_lines(release_id=release.pk))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deliveries-{release.pk}.csv"'
    return response


def _pdf(request: HttpRequest, membership: Membership, release_id: uuid.UUID, *, desk: bool) -> FileResponse:
    release = _release(membership, release_id)
    html = render_to_string("distribution/report_pdf.html", _context(release, desk=desk), request=request)
    stylesheet = finders.find(STYLESHEET)
    assert isinstance(stylesheet, str), "the report's stylesheet ships with the app"
    return FileResponse(exports.pdf_file(html, stylesheet=Path(stylesheet)), as_attachment=True,
                        filename=f"report-{release.pk}.pdf", content_type="application/pdf")


def _receipts(membership: Membership, release_id: uuid.UUID) -> JsonResponse:
    release = _release(membership, release_id)
    response = JsonResponse(trust_services.release_receipts_download(release_id=release.pk))
    response["Content-Disposition"] = f'attachment; filename="receipts-{release.pk}.json"'
    return response


# The workspace's addresses: the issuer's members (and the wire's staff, who see every release).
@require_safe
@member_required(_reader)
def report_page(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    return _page(request, membership, release_id, desk=False)


@require_safe
@member_required(_reader)
def report_csv(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> StreamingHttpResponse:
    return _csv(request, membership, release_id)


@require_safe
@member_required(_reader)
def report_pdf(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> FileResponse:
    return _pdf(request, membership, release_id, desk=False)


@require_safe
@member_required(_reader)
def report_receipts(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> JsonResponse:
    return _receipts(membership, release_id)


# The desk's addresses: the wire's staff only (403 for anyone else).
@require_safe
@member_required(works_the_desk)
def desk_report_page(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    return _page(request, membership, release_id, desk=True)


@require_safe
@member_required(works_the_desk)
def desk_report_csv(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> StreamingHttpResponse:
    return _csv(request, membership, release_id)


@require_safe
@member_required(works_the_desk)
def desk_report_pdf(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> FileResponse:
    return _pdf(request, membership, release_id, desk=True)


@require_safe
@member_required(works_the_desk)
def desk_report_receipts(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> JsonResponse:
    return _receipts(membership, release_id)


@require_safe
def old_report(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    """The report's first address, kept so that old links still lead to it."""
    return redirect("distribution:report", release_id=release_id, permanent=True)
