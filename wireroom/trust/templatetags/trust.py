"""`{% issuer_signature release %}`: the release's issuer signature as the newsroom page shows it."""

from __future__ import annotations

from typing import Any

from django import template

from wireroom.releases.models import Release
from wireroom.trust.selectors import release_signature

register = template.Library()


@register.inclusion_tag("trust/signature.html")
def issuer_signature(release: Release) -> dict[str, Any]:
    return {"signature": release_signature(release=release)}
