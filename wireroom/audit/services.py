from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from wireroom.audit.models import AuditEntry

if TYPE_CHECKING:
    from wireroom.accounts.models import Organization, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    organization: Organization | None = None,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        organization=organization,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )


def audit_record_many(
    *,
    actor: User | None,
    action: str,
    targets: Iterable[tuple[models.Model, dict[str, Any]]],
    organization: Organization | None = None,
) -> int:
    """One entry per (target, data), written in batches: for bulk changes such as an import."""
    entries = [
        AuditEntry(actor=actor, organization=organization, action=action, target_type=target._meta.label_lower,
                   target_id=str(target.pk), data=data)
        for target, data in targets
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)
