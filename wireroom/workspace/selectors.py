"""Reads of the workspace: an organization's releases as its members list them. Everything narrows
`releases_visible_to`, the one rule of who sees which release."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from wireroom.accounts.models import Membership
from wireroom.releases.models import Localization, Release
from wireroom.releases.selectors import releases_visible_to


def workspace_releases(*, actor: Membership, state: str = "", language: str = "",
                       headline: str = "") -> QuerySet[Release]:
    """The actor's organization's releases, the last changed first, narrowed by state, by a language they
    have a localization in, and by words of a headline in any language."""
    releases = releases_visible_to(actor=actor).filter(issuer_id=actor.organization_id)
    if state:
        releases = releases.filter(state=state)
    if language:
        releases = releases.filter(Exists(Localization.objects.filter(release=OuterRef("pk"), language_id=language)))
    if headline:
        releases = releases.filter(Exists(Localization.objects.filter(release=OuterRef("pk"),
                                                                     headline__icontains=headline)))
    return releases.order_by("-updated_at", "-id")
