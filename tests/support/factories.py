"""Test data made through the real services (or the plain models where no service exists yet)."""

from __future__ import annotations

from typing import Any

from wireroom.accounts.models import Membership, Organization, Role, User
from wireroom.releases import services


def member(org: Organization, username: str, role: Role) -> Membership:
    # No password: hashing one per test would cost more than the test itself.
    user = User.objects.create(username=username, email=f"{username}@example.com")
    return Membership.objects.create(user=user, organization=org, role=role)


def release_input(**overrides: Any) -> services.ReleaseInput:
    values: dict[str, Any] = {
        "kind": "press_release",
        "original_language": "ar",
        "sectors": ["top-story", "daily-news"],
        "countries": ["AE", "SA"],
        "languages": ["ar", "en"],
        "dateline": "دبي",
        "localizations": [
            services.LocalizationInput(
                language="ar", headline="نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية",
                summary="المحطة الجديدة تنتج مياه الشرب لخمسين ألف منزل.",
                body_html="<p>أعلنت شركة نهر للطاقة اليوم تشغيل محطتها الجديدة.</p>"
                "<p>تعمل المحطة بالكامل بالطاقة الشمسية.</p>",
            ),
            services.LocalizationInput(
                language="en", headline="Nahr Energy opens a solar-powered desalination plant",
                summary="The new plant makes drinking water for fifty thousand homes.",
                body_html="<p>Nahr Energy today switched on its new plant.</p><p>It runs wholly on solar power.</p>",
                origin="human", translated_from="ar", translator="Layla Haddad",
            ),
        ],
    }
    values.update(overrides)
    return services.ReleaseInput(**values)
