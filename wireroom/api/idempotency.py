"""`Idempotency-Key` on create: a retried request gets the release the first one made, not a second draft.

Keys are per organization and kept for a day. The key is claimed in a short transaction of its own, with the
id the release will get; the create itself runs as usual (no transaction is held around it) and uses that id.
A retry then finds the release by that id. A request that fails gives its claim back, so the client may retry
with the same key once it has fixed the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wireroom.accounts.models import Organization
from wireroom.api.models import IdempotencyKey
from wireroom.lib.errors import WireroomError
from wireroom.releases.models import Release

KEEP = dt.timedelta(hours=24)
# A claim whose release never appeared this long after is taken to be from a request that died half-way.
ABANDONED = dt.timedelta(minutes=10)
HEADER = "Idempotency-Key"


class KeyReused(WireroomError):
    status = 422
    code = "idempotency_key_reused"


class KeyInUse(WireroomError):
    status = 409
    code = "idempotency_key_in_use"


@dataclass(frozen=True)
class Claim:
    row: IdempotencyKey
    done: bool  # True: an earlier request with this key created the release; answer with it

    @property
    def release_id(self) -> uuid.UUID:
        return self.row.release_id


def fingerprint(operation: str, body: Any) -> str:
    """The same request gives the same digest whatever its key order or white space."""
    canonical = json.dumps([operation, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_claim(*, organization: Organization, key: str, fingerprint: str,
                      now: dt.datetime | None = None) -> Claim:
    moment = now or timezone.now()
    with transaction.atomic():
        IdempotencyKey.objects.filter(expires_at__lte=moment).delete()
        row = IdempotencyKey.objects.select_for_update().filter(organization=organization, key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(
                        organization=organization, key=key, fingerprint=fingerprint, release_id=uuid.uuid4(),
                        created_at=moment, expires_at=moment + KEEP)
                return Claim(row, done=False)
            except IntegrityError:
                # Another request with this key claimed it between our read and our write.
                row = IdempotencyKey.objects.select_for_update().get(organization=organization, key=key)
        if row.fingerprint != fingerprint:
            raise KeyReused(f"This {HEADER} was used with a different request; use a new key for a new request.")
        if Release.objects.filter(pk=row.release_id).exists():
            return Claim(row, done=True)
        if row.created_at > moment - ABANDONED:
            raise KeyInUse(f"A request with this {HEADER} is still being processed; retry in a moment.")
        row.created_at, row.expires_at = moment, moment + KEEP
        row.save(update_fields=["created_at", "expires_at"])
        return Claim(row, done=False)


def idempotency_complete(*, claim: Claim, removed_html: dict[str, list[str]]) -> None:
    if removed_html:
        IdempotencyKey.objects.filter(pk=claim.row.pk).update(removed_html=removed_html)


def idempotency_release(*, claim: Claim) -> None:
    """Give the key back after a request that failed, so a corrected retry may use it."""
    IdempotencyKey.objects.filter(pk=claim.row.pk).delete()
