"""The stream's channels behind Pushpin are pruned with the event log once no client holds them."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import jwt
import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone

from tests.support.workers import embargo_clock, wait_until
from wireroom.api import grip
from wireroom.api.models import StreamChannel
from wireroom.bench.pushpin import SIG_KEY
from wireroom.releases.models import Release, WireEvent
from wireroom.releases.selectors import EventFilters

pytestmark = pytest.mark.django_db(transaction=True)
GRIP = {"STREAM_GRIP_URL": "http://127.0.0.1:9", "STREAM_GRIP_KEY": SIG_KEY}


def _channel(*, sector: str, seen_hours_ago: float) -> StreamChannel:
    row = grip.channel_register(format_name="ninjs", filters=EventFilters(sector=frozenset({sector})))
    StreamChannel.objects.filter(pk=row.pk).update(seen_at=timezone.now() - dt.timedelta(hours=seen_hours_ago))
    return StreamChannel.objects.get(pk=row.pk)


def _pushpins_check(row: StreamChannel, last_id: int) -> tuple[StreamChannel, int] | None:
    """Pushpin's request for a held client's `Grip-Link`, signed as Pushpin signs it."""
    signature = jwt.encode({"iss": "pushpin", "exp": int(time.time()) + 60}, SIG_KEY, algorithm="HS256")
    request = RequestFactory().get(
        f"/api/v1/stream?recover={grip._recovery_token(row.name)}",
        headers={"Grip-Sig": signature, "Grip-Last": f"{row.name}; last-id={last_id}"})
    return grip.recovering(request)


@override_settings(STREAM_CHANNEL_IDLE_HOURS=24)
def test_the_embargo_clock_prunes_the_channels_no_client_held_for_a_day_with_the_event_log(
    make_release: Callable[..., Release],
) -> None:
    idle = _channel(sector="energy", seen_hours_ago=25)
    held = _channel(sector="technology", seen_hours_ago=23)
    old = make_release("published")
    WireEvent.objects.filter(release=old).update(created_at=timezone.now() - dt.timedelta(days=400))
    with embargo_clock():
        wait_until(lambda: not StreamChannel.objects.filter(pk=idle.pk).exists(), timeout=30,
                   what="the clock to prune the idle channel")
    assert list(StreamChannel.objects.values_list("pk", flat=True)) == [held.pk]
    assert not WireEvent.objects.filter(release=old).exists()


@override_settings(STREAM_CHANNEL_IDLE_HOURS=24)
def test_pruning_keeps_a_channel_whose_clients_pushpin_still_checks_on() -> None:
    held = _channel(sector="energy", seen_hours_ago=30)
    with override_settings(**GRIP):
        found = _pushpins_check(held, held.last_id)
    assert found is not None and found[0].pk == held.pk and found[1] == held.last_id
    assert grip.channels_prune() == 0
    assert StreamChannel.objects.get(pk=held.pk).seen_at > timezone.now() - dt.timedelta(minutes=1)


@override_settings(STREAM_CHANNEL_IDLE_HOURS=24)
def test_a_channel_asked_for_again_after_pruning_starts_again_from_the_head_of_the_log(
    make_release: Callable[..., Release],
) -> None:
    idle = _channel(sector="energy", seen_hours_ago=25)
    make_release("published")
    assert grip.channels_prune() == 1
    again = grip.channel_register(format_name="ninjs", filters=EventFilters(sector=frozenset({"energy"})))
    assert again.name == idle.name and again.last_id == again.scanned > idle.last_id


def test_pushpins_check_refreshes_a_channel_at_most_every_ten_minutes() -> None:
    row = _channel(sector="energy", seen_hours_ago=0.1)  # six minutes
    with override_settings(**GRIP):
        assert _pushpins_check(row, row.last_id) is not None
    assert StreamChannel.objects.get(pk=row.pk).seen_at == row.seen_at
    StreamChannel.objects.filter(pk=row.pk).update(seen_at=timezone.now() - dt.timedelta(minutes=11))
    with override_settings(**GRIP):
        assert _pushpins_check(row, row.last_id) is not None
    assert StreamChannel.objects.get(pk=row.pk).seen_at > timezone.now() - dt.timedelta(minutes=1)
