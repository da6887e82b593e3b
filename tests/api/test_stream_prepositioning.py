"""Encrypted pre-positioning on `/api/v1/stream`: a real SSE client of the real ASGI server (docs/trust.md)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import call_command
from django.utils import timezone

from tests.support.api import ApiClient
from tests.support.prepositioning import opened
from tests.support.server import ServedWire, get
from tests.support.sse import Reader, SseEvent
from tests.support.workers import child_database_url, wait_until
from wireroom.accounts.models import ApiKey, Membership, Organization, OrganizationKind, Role, User
from wireroom.accounts.services import api_key_issue, api_key_set_prepositioned, membership_create
from wireroom.lib.errors import InvalidInput
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.releases.selectors import events_head
from wireroom.trust.verify import verify_with_jwks

# Slow: each starts a live server for real.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedWire]:
    server = ServedWire(tmp_path, "--no-worker", WIREROOM_DATABASE_URL=child_database_url(),
                        WIREROOM_STREAM_POLL_SECONDS="0.05", WIREROOM_STREAM_HEARTBEAT_SECONDS="1")
    try:
        yield server
    finally:
        _returncode, output = server.stop()
        assert "Traceback" not in output, output


def partner_key(*, prepositioned: bool) -> str:
    """A terminal partner's key, let take pre-positioning by the operator (`wireroom apikey prepositioned`)."""
    organization = Organization.objects.create(name="Terminal Partner", slug=f"partner-{prepositioned}",
                                               kind=OrganizationKind.TERMINAL_PARTNER)
    user = User.objects.create_user(username=f"desk-{prepositioned}", password="x" * 20)
    issued = api_key_issue(membership=membership_create(user=user, organization=organization,
                                                        role=Role.OUTLET_MEMBER), name="terminal")
    if prepositioned:
        call_command("apikey", "prepositioned", issued.api_key.prefix, "on")
    return issued.secret


def checked(served: ServedWire, event: SseEvent) -> dict[str, Any]:
    """An event's data, its wire signature checked against the served JWKS as a partner does (docs/trust.md)."""
    data = event.data.encode()
    at = data.rindex(b',"wire_signature":"')
    status, jwks = get(served.base + "/.well-known/jwks.json")
    assert status == 200
    signed = json.loads(data)
    assert verify_with_jwks(body=data[:at] + b"}", signature=signed.pop("wire_signature"), jwks=json.loads(jwks))
    return dict(signed)


def test_an_opted_in_stream_client_gets_the_sealed_event_early_cannot_open_it_and_opens_it_with_the_key_event(
    served: ServedWire, make_release: Callable[..., Release], actors: dict[str, Membership],
    api: Callable[[str | None], ApiClient],
) -> None:
    head = events_head()
    sealed_client = Reader(f"{served.base}/api/v1/stream?since={head}", partner_key(prepositioned=True), want=3)
    plain_client = Reader(f"{served.base}/api/v1/stream?since={head}", partner_key(prepositioned=False), want=1)
    sealed_client.start()
    plain_client.start()
    release = make_release("approved")
    embargo = timezone.now() + dt.timedelta(hours=1)
    services.release_publish(release=release, by=actors["issuer_admin"], embargo_at=embargo)
    release.refresh_from_db()

    wait_until(lambda: bool(sealed_client.events) or sealed_client.error is not None, timeout=60,
               what="the sealed event")
    assert sealed_client.error is None, sealed_client.error
    [envelope_event] = sealed_client.events
    assert envelope_event.event == "envelope"
    event = checked(served, envelope_event)
    envelope = event["data"]
    assert event["type"] == "release.prepositioned"
    assert envelope["release"] == str(release.pk)
    assert envelope["embargo"] == release.embargo_at.isoformat().replace("+00:00", "Z")  # type: ignore[union-attr]
    headline = release.localizations.get(language_id=release.original_language_id).headline
    assert headline not in envelope_event.data

    # Before the key event the client tries: a guessed key fails, and the key endpoint knows nothing.
    with pytest.raises(InvalidTag):
        opened(envelope, AESGCM.generate_key(bit_length=256))
    assert api("wire_editor").get(f"/api/v1/releases/{release.pk}/versions/1/key").status_code == 404
    assert plain_client.events == [], "a client that did not opt in hears nothing before the embargo"

    assert release.embargo_at is not None
    assert services.release_publish_due(release=release, now=release.embargo_at)
    sealed_client.join(60)
    plain_client.join(60)
    assert sealed_client.error is None and plain_client.error is None
    envelope_event, key_event, published = sealed_client.events
    assert (key_event.event, published.event) == ("key", "publish"), "the key goes just before the item"
    released = checked(served, key_event)["data"]
    assert released["key_id"] == envelope["key_id"]
    assert len(key_event.data) < 600, "the key event is tiny, whatever the release's size"
    item = opened(envelope, base64.b64decode(released["key"]))
    at = published.data.encode().rindex(b',"wire_signature":"')
    assert item == published.data.encode()[:at] + b"}", "the envelope held exactly the event sent at the embargo"
    assert [each.event for each in plain_client.events] == ["publish"]


def test_a_stream_client_hears_a_kill_event_when_the_schedule_is_dropped_and_the_key_never_comes(
    served: ServedWire, make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    key = partner_key(prepositioned=True)
    head = events_head()
    client = Reader(f"{served.base}/api/v1/stream?since={head}", key, want=2)
    client.start()
    release = make_release("approved")
    services.release_publish(release=release, by=actors["issuer_admin"],
                             embargo_at=timezone.now() + dt.timedelta(hours=1))
    wait_until(lambda: bool(client.events) or client.error is not None, timeout=60, what="the sealed event")
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    client.join(60)
    assert client.error is None, client.error
    envelope_event, kill_event = client.events
    assert (envelope_event.event, kill_event.event) == ("envelope", "kill")
    envelope, notice = checked(served, envelope_event)["data"], checked(served, kill_event)
    assert notice["type"] == "release.prepositioned_killed"
    assert notice["data"]["key_id"] == envelope["key_id"]

    # Replayed from the start, a withdrawn release's envelope is no longer there, its kill notice is; no key was
    # ever released to open the envelope.
    again = Reader(f"{served.base}/api/v1/stream?since={head}", key, want=1)
    again.start()
    again.join(60)
    assert again.error is None, again.error
    assert [each.event for each in again.events] == ["kill"]
    assert not release.events.filter(action="key").exists()


def test_only_outlets_partners_and_the_wire_may_take_pre_positioning_on_the_stream(
    actors: dict[str, Membership],
) -> None:
    issued = api_key_issue(membership=actors["issuer_admin"], name="issuer key")
    with pytest.raises(InvalidInput):
        api_key_set_prepositioned(api_key=issued.api_key, prepositioned=True)
    assert not ApiKey.objects.get(pk=issued.api_key.pk).prepositioned
    wire = api_key_issue(membership=actors["wire_editor"], name="wire key").api_key
    assert api_key_set_prepositioned(api_key=wire, prepositioned=True).prepositioned
