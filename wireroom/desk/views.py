"""The editorial desk: the review queue, one submission with its checks and diffs, the decisions, and the
corrections and withdrawals of what went out. For the wire's staff only (403 for anyone else); a release that
does not exist is 404."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from wireroom.accounts.access import member_required
from wireroom.accounts.models import Membership
from wireroom.accounts.navigation import works_the_desk
from wireroom.desk import selectors, services
from wireroom.desk.diff import snapshot_diff
from wireroom.desk.forms import NoteForm, TextsForm, WithdrawForm
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound, TooLarge, WireroomError
from wireroom.releases import services as lifecycle
from wireroom.releases.models import PUBLIC_STATES, Release, State
from wireroom.releases.selectors import release_for
from wireroom.releases.services import release_snapshot

desk_only = member_required(works_the_desk)
STATUS = {InvalidInput: 400, NotAllowed: 403, NotFound: 404, IllegalTransition: 409, TooLarge: 413}


def _release(membership: Membership, release_id: uuid.UUID) -> Release:
    try:
        return release_for(actor=membership, release_id=release_id)
    except NotFound:
        raise Http404("No such release.") from None


def _status(error: WireroomError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


@require_safe
@desk_only
def queue(request: HttpRequest, membership: Membership) -> HttpResponse:
    return render(request, "desk/queue.html", {
        "queue": selectors.review_queue(actor=membership), "out": selectors.recently_out(actor=membership),
        "now": timezone.now(), "membership": membership,
    })


def _review(request: HttpRequest, membership: Membership, release: Release, *, status: int = 200,
            **bound: Any) -> HttpResponse:
    """The review page; `bound` holds a form sent back with its errors, in place of the blank one."""
    compared = selectors.comparison(release=release)
    current = compared.submission.snapshot if compared.submission else release_snapshot(release)
    queued = release.state in services.IN_QUEUE
    out = release.state in PUBLIC_STATES
    context: dict[str, Any] = {
        "release": release, "membership": membership, "claim": selectors.claim_of(release=release),
        "submission": compared.submission, "previous": compared.previous, "published": compared.published,
        "against_previous": snapshot_diff(compared.previous.snapshot if compared.previous else None, current),
        "against_published": snapshot_diff(compared.published.snapshot, current) if compared.published else None,
        "checks": compared.submission.checks if compared.submission else None,
        "history": selectors.history(release=release)[:100], "queued": queued, "out": out,
        "withdrawable": out or release.state == State.SCHEDULED,
        "note_form": bound.get("note_form") or NoteForm(),
        "edit_form": bound.get("edit_form") or (TextsForm(release=release) if queued else None),
        "correct_form": bound.get("correct_form") or (TextsForm(release=release, correction=True) if out else None),
        "withdraw_form": bound.get("withdraw_form") or WithdrawForm(),
        "error": bound.get("error", ""),
    }
    return render(request, "desk/review.html", context, status=status)


@require_safe
@desk_only
def review(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    return _review(request, membership, _release(membership, release_id))


def _claim_box(request: HttpRequest, membership: Membership, release: Release, *, error: str = "",
               status: int = 200) -> HttpResponse:
    if request.htmx and request.htmx.target == f"queue-{release.pk}":  # type: ignore[attr-defined]
        # Asked from the queue: the whole row, whose state and claim both changed. A release that left the queue
        # meanwhile (approved by someone else) answers nothing, and its row goes.
        entry = selectors.queue_entry(actor=membership, release_id=release.pk)
        if entry is None:
            return HttpResponse("", status=status)
        return render(request, "desk/_queue_row.html", {
            "release": entry, "claim": getattr(entry, "desk_claim", None), "membership": membership,
            "now": timezone.now(), "error": error}, status=status)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "desk/claim.html", {"release": release, "claim": selectors.claim_of(release=release),
                                                   "membership": membership, "error": error}, status=status)
    if error:
        return _review(request, membership, release, status=status, error=error)
    return redirect("desk:review", release_id=release.pk)


@require_POST
@desk_only
def claim(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    release = _release(membership, release_id)
    try:
        services.claim_take(release=release, by=membership)
    except WireroomError as error:
        return _claim_box(request, membership, release, error=str(error), status=_status(error))
    release.refresh_from_db()
    return _claim_box(request, membership, release)


@require_POST
@desk_only
def unclaim(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    release = _release(membership, release_id)
    services.claim_drop(release=release, by=membership)
    return _claim_box(request, membership, release)


def _decide(request: HttpRequest, membership: Membership, release_id: uuid.UUID, *, form: forms.Form, slot: str,
            act: Callable[[Release], object], done: str, then_queue: bool) -> HttpResponse:
    """Check the form, act through the services; on a refusal, the review page again with the form's errors."""
    release = _release(membership, release_id)
    if not form.is_valid():
        return _review(request, membership, release, status=400, **{slot: form})
    try:
        act(release)
    except WireroomError as error:
        if not form.fields:
            # A bare button (approve): the refusal goes at the top of the page.
            return _review(request, membership, release, status=_status(error), error=str(error))
        form.add_error(None, str(error))
        return _review(request, membership, release, status=_status(error), **{slot: form})
    messages.success(request, done)
    return redirect("desk:queue") if then_queue else redirect("desk:review", release_id=release.pk)


class _Nothing(forms.Form):
    pass


@require_POST
@desk_only
def approve(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    return _decide(request, membership, release_id, form=_Nothing(request.POST), slot="note_form",
                   act=lambda release: services.review_approve(release=release, by=membership),
                   done="Approved.", then_queue=True)


@require_POST
@desk_only
def request_changes(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    form = NoteForm(request.POST)
    return _decide(request, membership, release_id, form=form, slot="note_form",
                   act=lambda release: services.review_request_changes(
                       release=release, by=membership, note=form.cleaned_data["note"]),
                   done="Sent back to the issuer with your note.", then_queue=True)


@require_POST
@desk_only
def edit(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    release = _release(membership, release_id)
    form = TextsForm(request.POST, release=release)
    return _decide(request, membership, release_id, form=form, slot="edit_form",
                   act=lambda target: services.review_edit_and_approve(
                       release=target, by=membership, data=form.release_input()),
                   done="Edited and approved.", then_queue=True)


@require_POST
@desk_only
def correct(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    release = _release(membership, release_id)
    form = TextsForm(request.POST, release=release, correction=True)
    return _decide(request, membership, release_id, form=form, slot="correct_form",
                   act=lambda target: lifecycle.release_correct(
                       release=target, by=membership, note=form.cleaned_data["note"],
                       localizations=form.localizations()),
                   done="Corrected: the new version goes to everyone who had the release.", then_queue=False)


@require_POST
@desk_only
def withdraw(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    form = WithdrawForm(request.POST)
    return _decide(request, membership, release_id, form=form, slot="withdraw_form",
                   act=lambda release: lifecycle.release_withdraw(
                       release=release, by=membership, reason=form.cleaned_data["reason"]),
                   done="Withdrawn: a kill notice goes to everyone who had the release.", then_queue=False)
