"""Importing and exporting spreadsheets through the console.

An upload is checked whole (a dry run of the same import the commands use) and kept in the data folder under a
random name that only the uploader's session knows; the report is shown and can be downloaded as CSV; only a
confirmation imports it, checked again, in one transaction. Nothing is written before that."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wireroom.accounts.models import Membership, User
from wireroom.console.access import staff_only
from wireroom.console.forms import ImportForm
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.exports import contacts_export, outlets_export
from wireroom.mediadb.imports import CONTACT_COLUMNS, OUTLET_COLUMNS, contacts_import, outlets_import
from wireroom.mediadb.reports import ImportReport
from wireroom.mediadb.tables import FORMATS, read_table

IMPORTERS = {"contacts": contacts_import, "outlets": outlets_import}
EXPORTERS = {"contacts": contacts_export, "outlets": outlets_export}
COLUMNS = {"contacts": CONTACT_COLUMNS, "outlets": OUTLET_COLUMNS}
SESSION_KEY = "console-uploads"
KEEP_SECONDS = 24 * 3600
SHOWN_PROBLEMS = 500
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "console-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    """Uploads never confirmed are dropped after a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _upload(request: HttpRequest, token: str) -> dict[str, Any]:
    """The upload `token` names, if this session made it."""
    upload: dict[str, Any] | None = request.session.get(SESSION_KEY, {}).get(token)
    if upload is None or not (_folder() / token).is_file():  # the session's token names the file: no path tricks
        raise Http404("No such upload: upload the file again.")
    return upload


def _import(upload: dict[str, Any], token: str, *, by: User) -> ImportReport:
    """The kept upload, checked again and (when still clean) written."""
    table = read_table(data=(_folder() / token).read_bytes(), format=upload["format"])
    return IMPORTERS[upload["kind"]](table=table, source=upload["name"], by=by)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def import_start(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method != "POST" or not form.is_valid():
        return render(request, "console/import.html", {"form": form, "columns": COLUMNS},
                      status=400 if form.is_bound else 200)
    upload = form.cleaned_data["file"]
    kind, name = form.cleaned_data["kind"], Path(upload.name).name[:100]
    fmt = name.rsplit(".", 1)[-1].lower()
    data = upload.read()
    try:
        table = read_table(data=data, format=fmt)
    except InvalidInput as error:
        form.add_error("file", error.message)
        return render(request, "console/import.html", {"form": form, "columns": COLUMNS}, status=400)
    report = IMPORTERS[kind](table=table, source=name, by=membership.user, dry_run=True)
    folder = _folder()
    _forget_old(folder)
    token = secrets.token_urlsafe(16)
    (folder / token).write_bytes(data)
    uploads = request.session.get(SESSION_KEY, {})
    (folder / f"{token}.problems.csv").write_text(report.problems_csv(), encoding="utf-8")
    uploads[token] = {"kind": kind, "format": fmt, "name": name}
    request.session[SESSION_KEY] = uploads
    return render(request, "console/import_report.html", {
        "report": report, "token": token, "upload": uploads[token],
        "problems": sorted(report.problems, key=lambda p: (p.row, p.column))[:SHOWN_PROBLEMS],
        "shown": SHOWN_PROBLEMS,
    })


@require_safe
@staff_only
def import_problems(request: HttpRequest, membership: Membership, token: str) -> HttpResponse:
    upload = _upload(request, token)
    response = HttpResponse((_folder() / f"{token}.problems.csv").read_bytes(),
                            content_type="text/csv; charset=utf-8")
    stem = Path(upload["name"]).stem
    response["Content-Disposition"] = f'attachment; filename="{_safe(stem)}-problems.csv"'
    return response


def _safe(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name) or "upload"


@require_POST
@staff_only
def import_confirm(request: HttpRequest, membership: Membership, token: str) -> HttpResponse:
    upload = _upload(request, token)
    report = _import(upload, token, by=membership.user)
    if not report.ok:
        # The database changed since the check (an outlet renamed, say): nothing was written; show why.
        (_folder() / f"{token}.problems.csv").write_text(report.problems_csv(), encoding="utf-8")
        return render(request, "console/import_report.html", {
            "report": report, "token": token, "upload": upload,
            "problems": sorted(report.problems, key=lambda p: (p.row, p.column))[:SHOWN_PROBLEMS],
            "shown": SHOWN_PROBLEMS,
        }, status=409)
    for path in (_folder() / token, _folder() / f"{token}.problems.csv"):
        path.unlink(missing_ok=True)
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    messages.success(request, f"{upload['name']}: {report.summary()}")
    return redirect("console:contacts" if upload["kind"] == "contacts" else "console:outlets")


@require_safe
@staff_only
def export(request: HttpRequest, membership: Membership, kind: str, format: str) -> HttpResponse:
    if kind not in EXPORTERS or format not in FORMATS:
        raise Http404("Export contacts or outlets as csv or xlsx.")
    response = HttpResponse(EXPORTERS[kind](format=format), content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{kind}.{format}"'
    return response
