"""The wire's own signature: webhook payloads and API items signed with its Ed25519 key, verified by jwcrypto
against the JWKS the real server publishes, across a key rotation, and by `wireroom verify`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone
from jwcrypto import jwk, jws

from tests.support.api import ApiClient
from tests.support.http import Sink, sink_in_thread
from tests.support.renderings import store_renderings
from tests.support.server import ServedWire, get
from wireroom.distribution.channels.base import Job
from wireroom.distribution.channels.webhook.channel import WebhookChannel
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases.models import Release
from wireroom.subscriptions.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    # The test process and the served wire share the data folder, so they sign with the same key.
    with override_settings(DATA_DIR=tmp_path):
        yield tmp_path


@pytest.fixture
def served(data_dir: Path) -> Iterator[ServedWire]:
    server = ServedWire(data_dir, "--no-worker")
    try:
        yield server
    finally:
        _returncode, output = server.stop()
        assert "Traceback" not in output, output


def _jwks(server: ServedWire) -> dict[str, Any]:
    # The first request loads the URLconf, which takes a while on a busy machine.
    status, text = get(server.base + "/.well-known/jwks.json", timeout=90)
    assert status == 200
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _jwcrypto_verifies(jwks_document: dict[str, Any], signature: str, body: bytes) -> bool:
    """A receiver's check, with jwcrypto only: find the key by kid in the JWKS, verify the detached JWS."""
    keys = jwk.JWKSet.from_json(json.dumps(jwks_document))
    token = jws.JWS()
    token.deserialize(signature)
    key = keys.get_key(token.jose_header["kid"])
    if key is None:
        return False
    try:
        token.verify(key, detached_payload=body)
    except jws.InvalidJWSSignature:
        return False
    return True


def _webhook(release: Release, sink: Sink) -> tuple[bytes, str]:
    outlet = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url=sink.url("/hook"), secrets=["whsec_c2VjcmV0"])
    now = timezone.now()
    delivery = Delivery.objects.create(
        release=release, version=release.version, action="publish", channel="webhook", recipient_key=f"e:{endpoint.pk}",
        endpoint=endpoint, language="*", state=DeliveryState.LEASED, attempts=1, next_attempt_at=now, created_at=now,
        leased_by="test")
    job = Job(delivery_id=delivery.pk, release_id=release.id, version=release.version, action="publish",
              language="*", contact_id=None, endpoint_id=endpoint.pk, attempts=1, channel="webhook")
    channel = WebhookChannel()

    async def batch() -> None:
        try:
            await channel.send([job])
        finally:
            await channel.close()

    with override_settings(OUTBOUND_ALLOW_PRIVATE=True):
        async_to_sync(batch)()
    request = sink.received[-1]
    return request.body, request.headers["wire-signature"]


@pytest.mark.slow
def test_a_webhook_receiver_verifies_the_wire_signature_against_the_served_jwks_across_a_rotation(
        served: ServedWire, make_release: Callable[..., Release], tmp_path: Path) -> None:
    release = make_release("published")
    store_renderings("webhook", release, release.version, "publish", [])
    with sink_in_thread() as sink:
        body, signature = _webhook(release, sink)
        assert _jwcrypto_verifies(_jwks(served), signature, body)
        assert not _jwcrypto_verifies(_jwks(served), signature, body.replace(b"usable", b"canceled"))

        call_command("trust-key", rotate=True)
        rotated = _jwks(served)
        assert len(rotated["keys"]) == 2
        assert all(key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key for key in rotated["keys"])
        # Signed before the rotation, still verifiable; signed after, by the new key.
        assert _jwcrypto_verifies(rotated, signature, body)
        body_after, signature_after = _webhook(release, sink)
        assert _jwcrypto_verifies(rotated, signature_after, body_after)
        assert signature_after.split(".")[0] != signature.split(".")[0]

    # `wireroom verify`, offline against the JWKS fetched from the server, and with the file altered.
    received = tmp_path / "item.json"
    received.write_bytes(body)
    call_command("verify", str(received), signature=signature, jwks=served.base + "/.well-known/jwks.json")
    received.write_bytes(body + b" ")
    with pytest.raises(CommandError, match="NOT VERIFIED"):
        call_command("verify", str(received), signature=signature, jwks=served.base + "/.well-known/jwks.json")


def test_an_item_served_by_the_api_carries_the_wire_signature_over_its_exact_bytes(
        data_dir: Path, api: Callable[[str | None], ApiClient], make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    keys = Client().get("/.well-known/jwks.json").json()
    for format_name in ("ninjs", "newsml-g2", "nitf"):
        answer = api("issuer_admin").get(f"/api/v1/releases/{release.id}", format=format_name)
        assert answer.status_code == 200
        assert _jwcrypto_verifies(keys, answer["Wire-Signature"], answer.content), format_name
        assert not _jwcrypto_verifies(keys, answer["Wire-Signature"], answer.content + b"\n"), format_name
