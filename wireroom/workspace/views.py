"""The issuer workspace: the organization's releases, composing, previewing, scheduling, settings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from wireroom.accounts.access import member_required
from wireroom.accounts.models import Membership
from wireroom.accounts.navigation import issues_releases


@require_safe
@member_required(issues_releases)
def home(request: HttpRequest, membership: Membership) -> HttpResponse:
    return render(request, "workspace/home.html", {"membership": membership})
