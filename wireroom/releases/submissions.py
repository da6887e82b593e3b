"""What a submission carries for the desk: the checks made when a release is submitted, stored with its snapshot.

- `removed_html`: what the sanitizer took out of each language's body since the previous submission (the
  writes' audit entries record it);
- `links`: every link of each body, with its domain;
- `language`: localizations whose text is not in their declared language (the language port's findings);
- `first_release`: the issuer has no published release yet;
- `contact_domains`: media contacts' e-mail domains that are not the issuer's website's domain.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from wireroom.audit.models import AuditEntry
from wireroom.releases.models import Release, State

WRITES = ("release.create", "release.update")


def _domain(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _links(body_html: str) -> list[dict[str, str]]:
    if not body_html.strip():
        return []
    tree = lxml.html.fragment_fromstring(body_html, create_parent="div")
    found = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href:
            found.append({"href": href, "domain": _domain(href) or href.split(":")[0], "text": anchor.text_content()})
    return found


def _removed_since(release: Release, since: dt.datetime | None) -> dict[str, list[str]]:
    entries = AuditEntry.objects.filter(target_type="releases.release", target_id=str(release.pk), action__in=WRITES)
    if since is not None:
        entries = entries.filter(at__gte=since)
    removed: dict[str, list[str]] = {}
    for data in entries.order_by("at", "id").values_list("data", flat=True):
        for language, items in (data or {}).get("removed_html", {}).items():
            removed.setdefault(language, [])
            removed[language].extend(item for item in items if item not in removed[language])
    return removed


def _contact_domains(release: Release) -> list[dict[str, str]]:
    site = _domain(release.issuer.website) if release.issuer.website else ""
    odd = []
    for contact in release.contacts:
        email = contact.get("email", "")
        domain = email.rpartition("@")[2].lower() if "@" in email else ""
        if domain and (not site or not (domain == site or domain.endswith("." + site))):
            odd.append({"email": email, "domain": domain, "website": site})
    return odd


def submission_checks(*, release: Release, previous_at: dt.datetime | None) -> dict[str, Any]:
    localizations = list(release.localizations.all())
    published_before = Release.objects.filter(
        issuer_id=release.issuer_id, state__in=(State.PUBLISHED, State.CORRECTED, State.WITHDRAWN),
        published_at__isnull=False).exclude(pk=release.pk).exists()
    return {
        "removed_html": _removed_since(release, previous_at),
        "links": {loc.language_id: links for loc in localizations if (links := _links(loc.body_html))},
        "language": {loc.language_id: findings for loc in localizations
                     if (findings := (loc.checks or {}).get("language"))},
        "first_release": not published_before,
        "contact_domains": _contact_domains(release),
    }
