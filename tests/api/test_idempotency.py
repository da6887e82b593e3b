"""`Idempotency-Key` on create: a retry gets the same release, never a second draft."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from tests.support.api import ApiClient
from wireroom.accounts.models import Organization
from wireroom.api import idempotency
from wireroom.api.models import IdempotencyKey
from wireroom.releases.models import Release

DRAFT: dict[str, Any] = {
    "original_language": "en",
    "sectors": ["energy"],
    "localizations": [{"language": "en", "headline": "Lotus Fintech opens an office in Kuala Lumpur",
                       "body_html": "<p>The office opens in May.</p><script>alert(1)</script>"}],
}


def _create(client: ApiClient, body: dict[str, Any], key: str | None) -> Any:
    headers = {**client.headers, **({"Idempotency-Key": key} if key else {})}
    return client.client.post("/api/v1/releases", json.dumps(body), content_type="application/json",
                              headers=headers)


@pytest.mark.django_db
def test_two_identical_creates_with_one_key_make_one_draft_and_the_same_answer(
    api: Callable[[str | None], ApiClient],
) -> None:
    client = api("issuer_admin")
    first = _create(client, DRAFT, "order-7f3a")
    again = _create(client, dict(reversed(DRAFT.items())), "order-7f3a")  # the same body, keys in another order
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.json()["removed_html"] == {"en": ["<script> element"]}
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Release.objects.count() == 1


@pytest.mark.django_db
def test_two_creates_without_a_key_make_two_drafts(api: Callable[[str | None], ApiClient]) -> None:
    client = api("issuer_admin")
    ids = {_create(client, DRAFT, None).json()["id"] for _ in range(2)}
    assert len(ids) == 2
    assert Release.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_makes_nothing(
    api: Callable[[str | None], ApiClient],
) -> None:
    client = api("issuer_admin")
    first = _create(client, DRAFT, "order-7f3a")
    other = _create(client, {**DRAFT, "sectors": ["technology"]}, "order-7f3a")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert [str(pk) for pk in Release.objects.values_list("id", flat=True)] == [first.json()["id"]]


@pytest.mark.django_db
def test_keys_belong_to_one_organization(api: Callable[[str | None], ApiClient]) -> None:
    ours = _create(api("issuer_admin"), DRAFT, "shared-key")
    theirs = _create(api("other_issuer_admin"), DRAFT, "shared-key")
    assert (ours.status_code, theirs.status_code) == (201, 201)
    assert ours.json()["id"] != theirs.json()["id"]


@pytest.mark.django_db
def test_a_member_of_the_same_organization_gets_the_same_release_for_the_same_key(
    api: Callable[[str | None], ApiClient],
) -> None:
    first = _create(api("issuer_admin"), DRAFT, "desk-42")
    again = _create(api("issuer_member"), DRAFT, "desk-42")
    assert again.json()["id"] == first.json()["id"]
    assert Release.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_request_gives_its_key_back_for_the_corrected_retry(
    api: Callable[[str | None], ApiClient],
) -> None:
    client = api("issuer_admin")
    refused = _create(client, {**DRAFT, "sectors": ["no-such-sector"]}, "order-7f3a")
    assert refused.status_code == 422
    assert not IdempotencyKey.objects.exists()
    assert _create(client, DRAFT, "order-7f3a").status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["has space", "x" * 256, "naïve"])
def test_a_malformed_key_is_refused(api: Callable[[str | None], ApiClient], key: str) -> None:
    client = api("issuer_admin")
    response = client.client.post("/api/v1/releases", DRAFT, content_type="application/json",
                                  headers={**client.headers, "Idempotency-Key": key})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_a_key_is_kept_a_day_and_then_forgotten(issuer_org: Organization) -> None:
    now = timezone.now()
    claim = idempotency.idempotency_claim(organization=issuer_org, key="k", fingerprint="f", now=now)
    later = idempotency.idempotency_claim(organization=issuer_org, key="k", fingerprint="other",
                                          now=now + idempotency.KEEP + dt.timedelta(seconds=1))
    assert later.done is False
    assert later.release_id != claim.release_id
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.django_db
def test_a_key_whose_request_is_still_running_is_a_409_until_it_is_abandoned(issuer_org: Organization) -> None:
    now = timezone.now()
    claim = idempotency.idempotency_claim(organization=issuer_org, key="k", fingerprint="f", now=now)
    with pytest.raises(idempotency.KeyInUse):
        idempotency.idempotency_claim(organization=issuer_org, key="k", fingerprint="f",
                                      now=now + dt.timedelta(seconds=30))
    taken_over = idempotency.idempotency_claim(organization=issuer_org, key="k", fingerprint="f",
                                               now=now + idempotency.ABANDONED + dt.timedelta(seconds=1))
    assert (taken_over.done, taken_over.release_id) == (False, claim.release_id)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_creates_with_one_key_make_one_draft(api: Callable[[str | None], ApiClient]) -> None:
    clients = [api("issuer_admin") for _ in range(4)]
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, str]] = []

    def send(client: ApiClient) -> None:
        try:
            barrier.wait()
            response = _create(client, DRAFT, "burst-1")
            body = response.json()
            answers.append((response.status_code, body.get("id") or body["error"]["code"]))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    release_id = str(Release.objects.get().id)
    assert len(answers) == len(clients)
    # Each answer is the one release, or a 409 for a request that came while the first was still running.
    assert set(answers) <= {(201, release_id), (409, "idempotency_key_in_use")}
    assert (201, release_id) in answers
