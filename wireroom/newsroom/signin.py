"""What a locked-out sign-in sees, and the audit entry it leaves (django-axes calls `locked_out`)."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth.forms import AuthenticationForm
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from wireroom.accounts.language import language_for
from wireroom.accounts.models import User
from wireroom.audit.services import audit_record


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Answers a sign-in refused for too many failures: audited, then the sign-in page saying why and for how
    long. Both the newsroom's and the admin's sign-in pages end here."""
    # axes passes (original response, credentials) or, in async mode, (credentials) alone.
    credentials = next((arg for arg in (*args, *kwargs.values()) if isinstance(arg, dict)), None)
    username = get_client_username(request, credentials) or ""
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    target: models.Model | None = User.objects.filter(username=username).first()
    if target is None:
        target = AccessAttempt.objects.filter(username=username, ip_address=address).first()
    if target is not None:
        audit_record(actor=None, action="accounts.signin_locked_out", target=target,
                     data={"username": username, "address": address,
                           "failures": getattr(request, "axes_failures_since_start", None),
                           "minutes": minutes})
    form = AuthenticationForm(request, initial={"username": username})
    with translation.override(language_for(request)):
        return render(request, "accounts/login.html", {
            "form": form, "locked_out_minutes": minutes, "next": request.POST.get("next", ""),
        }, status=429)
