"""Turns a release version into ledger rows, in bulk, in the transaction that creates the version.

Rows are written with one INSERT … SELECT per channel straight from the targeting queries, so no
recipient passes through Python. A scheduled release is staged when it is scheduled: its rows wait
with `next_attempt_at` at the embargo second, and its renderings are ready before then.

Rendering is the slow part (a long release in many languages takes a second), so it happens first, outside
any transaction: `render` asks the same targeting queries which renderings the rows will need and makes them;
`stage`, inside the transaction, writes the rows and stores the renderings they need. A rendering the rows
need that `render` did not foresee (a recipient added in between) is made there, under the lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, CharField, DateTimeField, F, IntegerField, QuerySet, UUIDField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from wireroom.accounts.models import ApiKey
from wireroom.distribution import prepositioning
from wireroom.distribution.channels import registry
from wireroom.distribution.channels.registry import Recipients
from wireroom.distribution.channels.sftp import prepositioning as sftp_prepositioning
from wireroom.distribution.channels.webhook import prepositioning as webhook_prepositioning
from wireroom.distribution.channels.webhook.payload import event_key
from wireroom.distribution.models import Delivery, DeliveryState, RenderedItem
from wireroom.distribution.prepositioning import EXTRA_ACTIONS
from wireroom.distribution.renderings import ALL_LANGUAGES, Renderings
from wireroom.distribution.targeting import Target, target_of
from wireroom.formats.registry import format_names
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Action, Release
from wireroom.trust import contentkeys


def _columns() -> tuple[str, ...]:
    """The Delivery columns staging writes, in the order `_row_values` selects them: the recipient columns are
    the ones the registered channels declare."""
    return ("release_id", "version", "action", "channel", "recipient_key", *registry.recipient_columns(),
            "country", "language", "state", "attempts", "next_attempt_at", "lease_expires_at", "leased_by",
            "last_error", "receiver_ref", "created_at", "delivered_at")


# Rows that reached, or may be reaching, their recipient: they get corrections and kill notices.
REACHED = (DeliveryState.DELIVERED, DeliveryState.LEASED)
UNSENT = (DeliveryState.PENDING, DeliveryState.RETRYING)


def _row_values(queryset: QuerySet[Any], *, release: Release, version: int, action: str, channel: str | F,
                key: F | Concat, recipient: dict[str, F], country: F | Coalesce | Value, language: F | Value,
                not_before: dt.datetime, now: dt.datetime) -> QuerySet[Any, tuple[Any, ...]]:
    """`recipient`: the recipient columns this query fills (`contact_id`: F("pk")); the others are NULL."""
    # NULLs are cast so PostgreSQL knows their type inside INSERT … SELECT.
    null_time = Cast(Value(None), DateTimeField())
    nothing = Cast(Value(None), BigIntegerField())
    recipients = {f"_{column}": recipient.get(column, nothing) for column in registry.recipient_columns()}
    # No ORDER BY: the rows' order means nothing to an INSERT, and sorting 90,000 contacts by name is not free.
    rows: QuerySet[Any, tuple[Any, ...]] = queryset.order_by().annotate(
        _release=Value(release.pk, output_field=UUIDField()),
        _version=Value(version, output_field=IntegerField()),
        _action=Value(action), _channel=channel if isinstance(channel, F) else Value(channel), _key=key,
        **recipients, _country=country,
        _language=language, _state=Value(DeliveryState.PENDING.value), _attempts=Value(0, output_field=IntegerField()),
        _next=Value(not_before, output_field=DateTimeField()), _lease=null_time, _leased_by=Value(""),
        _error=Value(""), _ref=Value(""), _created=Value(now, output_field=DateTimeField()), _delivered=null_time,
    ).values_list("_release", "_version", "_action", "_channel", "_key", *recipients, "_country", "_language",
                  "_state", "_attempts", "_next", "_lease", "_leased_by", "_error", "_ref", "_created", "_delivered")
    return rows


def _insert(values: QuerySet[Any, tuple[Any, ...]]) -> None:
    sql, params = values.query.get_compiler(connection=connection).as_sql()
    table = Delivery._meta.db_table
    # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as part of the SELECT.
    statement = (f"INSERT INTO {table} ({', '.join(_columns())}) SELECT * FROM ({sql}) AS staged WHERE 1 = 1 "
                 f"ON CONFLICT DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _recipient_key(prefix: str) -> Concat:
    return Concat(Value(f"{prefix}:"), Cast("pk", CharField()), output_field=CharField())


def _stage_matches(release: Release, target: Target, version: int, action: str, not_before: dt.datetime,
                   now: dt.datetime, only: list[registry.ChannelSpec] | None = None) -> None:
    for spec in registry.targeted() if only is None else only:
        targeting = spec.targeting
        assert targeting is not None
        language: F | Value = F(targeting.language) if targeting.language else Value(ALL_LANGUAGES)
        country = (Coalesce(targeting.country, Value(""), output_field=CharField()) if targeting.country
                   else Value(""))
        _insert(_row_values(targeting.recipients(target), release=release, version=version, action=action,
                            channel=spec.name, key=_recipient_key(targeting.key_prefix),
                            recipient={f"{targeting.column}_id": F("pk")}, country=country, language=language,
                            not_before=not_before, now=now))


def _stage_earlier_recipients(release: Release, version: int, action: str, not_before: dt.datetime,
                              now: dt.datetime) -> None:
    # A recipient reached by several versions is staged once, as the latest version that reached them had it:
    # one INSERT per earlier version, latest first, so ON CONFLICT keeps that one. (A single INSERT … SELECT
    # ordered by version would rely on the order a subquery's rows arrive in, which SQL does not promise.)
    reached = Delivery.objects.filter(release=release, version__lt=version, state__in=REACHED).exclude(
        action__in=EXTRA_ACTIONS)
    for earlier in sorted(set(reached.order_by().values_list("version", flat=True).distinct()), reverse=True):
        _insert(_row_values(reached.filter(version=earlier), release=release, version=version, action=action,
                            channel=F("channel"), key=F("recipient_key"),
                            recipient={column: F(column) for column in registry.recipient_columns()},
                            country=F("country"), language=F("language"), not_before=not_before, now=now))


@dataclass(frozen=True)
class Prepared:
    """What `render` made for a version, by channel and key (e-mail: language; webhooks: format)."""

    upcoming: Upcoming
    made: dict[str, dict[str, Renderings]]

    def rendered(self, channel: str, key: str) -> Renderings | None:
        return self.made.get(channel, {}).get(key)


def _by_channel(rows: Iterable[tuple[str, str, str | None]]) -> dict[str, Recipients]:
    """(channel, language, endpoint format) rows → each channel's recipients, as rendering sees them."""
    languages: dict[str, set[str]] = {}
    formats: dict[str, set[str]] = {}
    for channel, language, endpoint_format in rows:
        languages.setdefault(channel, set()).add(language)
        if endpoint_format is not None:
            formats.setdefault(channel, set()).add(endpoint_format)
    return {channel: Recipients(languages=frozenset(found), formats=frozenset(formats.get(channel, ())))
            for channel, found in languages.items()}


def _format() -> Coalesce | F | Value:
    """The format of a row's endpoint, whichever channel's endpoint it is."""
    fields = sorted({f"{spec.targeting.column}__{spec.targeting.format}" for spec in registry.targeted()
                     if spec.targeting is not None and spec.targeting.format})
    if not fields:
        return Value(None, output_field=CharField())
    return Coalesce(*fields) if len(fields) > 1 else F(fields[0])


def _reached_before(release: Release, version: int) -> Iterable[tuple[str, str, str | None]]:
    reached = Delivery.objects.filter(release=release, version__lt=version, state__in=REACHED).exclude(
        action__in=EXTRA_ACTIONS).order_by()
    return reached.values_list("channel", "language", _format()).distinct()


def _foreseen(release: Release, upcoming: Upcoming) -> dict[str, Recipients]:
    """Who `stage` will write rows for, asked of the same queries without writing: what rendering needs of them."""
    rows: list[tuple[str, str, str | None]] = []
    if upcoming.action != Action.PUBLISH:
        rows += _reached_before(release, upcoming.number)
    if upcoming.action != Action.WITHDRAW:
        # The languages as `release` holds them: a correction rendered before it is written has the ones it adds.
        target = dataclasses.replace(target_of(release), available=[
            localization.language_id for localization in release.localizations.all()])
        for spec in registry.targeted():
            targeting = spec.targeting
            assert targeting is not None
            found = targeting.recipients(target).order_by()
            language = F(targeting.language) if targeting.language else Value(ALL_LANGUAGES)
            endpoint_format = F(targeting.format) if targeting.format else Value(None, output_field=CharField())
            rows += [(spec.name, str(each_language), each_format) for each_language, each_format in
                     found.annotate(_lang=language, _format=endpoint_format).values_list("_lang", "_format").distinct()]
    return _by_channel(rows)


def staged_recipients(release: Release, version: int) -> dict[str, Recipients]:
    """What rendering needs of the recipients of a version's staged rows, by channel."""
    staged = Delivery.objects.filter(release=release, version=version).order_by()
    return _by_channel(staged.values_list("channel", "language", _format()).distinct())


def render(*, release: Release, upcoming: Upcoming) -> Prepared:
    """Render what the version's recipients will need. Runs before the transaction opens; writes nothing."""
    made: dict[str, dict[str, Renderings]] = {}
    for channel, recipients in sorted(_foreseen(release, upcoming).items()):
        spec = registry.get(channel)
        made[channel] = {key: spec.render(release, upcoming, frozenset({key})) for key in sorted(spec.keys(recipients))}
    return Prepared(upcoming=upcoming, made=made)


def store(*, release: Release, version: int, renderings: Renderings) -> None:
    """Keep the renderings of a version. One that exists already stays: some copies may have gone out with it."""
    RenderedItem.objects.bulk_create(
        [RenderedItem(release=release, version=version, format=fmt, language=language, payload=payload)
         for (fmt, language), payload in renderings.items()],
        ignore_conflicts=True)


def stage(*, release: Release, version: int, action: str, not_before: dt.datetime, now: dt.datetime,
          prepared: object) -> None:
    """Create the ledger rows of one version and store the renderings they need, from `prepared` (made by
    `render`). Idempotent: existing rows and renderings are kept."""
    if not isinstance(prepared, Prepared):
        raise TypeError(f"stage takes what render made, not {type(prepared).__name__}")
    if action == Action.PUBLISH:
        _stage_matches(release, target_of(release), version, action, not_before, now)
    elif action == Action.CORRECT:
        # The corrected version replaces what has not gone out yet; everyone who got an earlier version,
        # plus whoever matches now, gets it.
        Delivery.objects.filter(release=release, version__lt=version, state__in=UNSENT).update(
            state=DeliveryState.SUPPRESSED, last_error=f"superseded by version {version}")
        _stage_earlier_recipients(release, version, action, not_before, now)
        _stage_matches(release, target_of(release), version, action, not_before, now)
    else:
        # Nothing of the withdrawn release may still go out; a kill notice goes to whoever got it.
        Delivery.objects.filter(release=release, version__lt=version, state__in=UNSENT).update(
            state=DeliveryState.SUPPRESSED, last_error="withdrawn before delivery")
        _stage_earlier_recipients(release, version, action, not_before, now)
        _stage_matches(release, target_of(release), version, action, not_before, now,
                       only=[spec for spec in registry.targeted()
                             if spec.targeting is not None and spec.targeting.withdrawal_to_matches])
    renderings: Renderings = {}
    for channel, recipients in sorted(staged_recipients(release, version).items()):
        spec = registry.get(channel)
        for key in sorted(spec.keys(recipients)):
            made = prepared.rendered(channel, key)
            # Not foreseen: a recipient came in between. Rare, and small: one language or one format.
            renderings |= made if made is not None else spec.render(release, prepared.upcoming, frozenset({key}))
    store(release=release, version=version, renderings=renderings)
    _stage_prepositioned(release=release, version=version, action=action, not_before=not_before, now=now,
                         prepared=prepared)


# The channels that pre-position, each sealing for the opted-in endpoints among a scheduled version's rows (the
# webhooks' envelopes serve the stream too: its events are the webhooks' bodies).
SEALERS = {"webhook": webhook_prepositioning.seal, "sftp": sftp_prepositioning.seal}


def _stream_formats(*, release: Release, version: int, prepared: Prepared) -> frozenset[str]:
    """When a stream key takes pre-positioning, every format's event is sealed (a stream client picks its format
    when it connects): the events the rows did not need are stored here, as the stream will send them."""
    if not ApiKey.objects.filter(prepositioned=True, revoked_at__isnull=True).exists():
        return frozenset()
    spec = registry.get("webhook")
    formats = frozenset(format_names())
    stored = set(RenderedItem.objects.filter(release=release, version=version, format__in=[
        event_key(name) for name in formats]).values_list("format", flat=True))
    renderings: Renderings = {}
    for name in sorted(formats):
        if event_key(name) not in stored:
            made = prepared.rendered("webhook", name)
            renderings |= made if made is not None else spec.render(release, prepared.upcoming, frozenset({name}))
    store(release=release, version=version, renderings=renderings)
    return formats


def _stage_prepositioned(*, release: Release, version: int, action: str, not_before: dt.datetime,
                         now: dt.datetime, prepared: Prepared) -> None:
    """A scheduled version's envelopes and its envelope and key rows, after its plain rows and renderings."""
    if action != Action.PUBLISH or not_before <= now:
        return
    key = contentkeys.held_key(release_id=release.pk, version=version)
    if key is None:
        return
    key_id = contentkeys.key_id(key)
    stream = _stream_formats(release=release, version=version, prepared=prepared)
    for channel, seal in SEALERS.items():
        envelopes, recipients = seal(release=release, version=version, key=key, embargo=not_before, now=now,
                                     also=stream if channel == "webhook" else frozenset())
        RenderedItem.objects.bulk_create(envelopes, ignore_conflicts=True)
        Delivery.objects.bulk_create(prepositioning.extra_rows(
            release_id=release.pk, version=version, channel=channel, recipients=recipients, key_id=key_id,
            embargo=not_before, now=now), ignore_conflicts=True)


def unstage(*, release: Release, version: int) -> None:
    """Drop what was staged for a version that will not go out (an unscheduled or cancelled release). Every
    pre-positioned envelope that may have reached its recipient gets a kill notice first: its key never comes."""
    prepositioning.stage_kills(release_id=release.pk, version=version, now=timezone.now())
    # Kill notices (this one's and an earlier dropped scheduling's, still being sent) stay.
    RenderedItem.objects.filter(release=release, version=version).exclude(
        format__startswith=prepositioning.kill_format("")).delete()
    # Rows leased ahead of the embargo go too: without their rendering a channel fails them, never sends them.
    Delivery.objects.filter(release=release, version=version, state__in=(*UNSENT, DeliveryState.LEASED)).exclude(
        action=prepositioning.KILL).delete()


def is_staged(*, release: Release, version: int) -> bool:
    # A dropped scheduling leaves its delivered envelopes and kill notices: they are not the version's staging.
    return Delivery.objects.filter(release=release, version=version).exclude(action__in=EXTRA_ACTIONS).exists()
