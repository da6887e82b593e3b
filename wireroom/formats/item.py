"""What every format says about a release version, worked out once: the formats only spell it differently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wireroom.anatomy.render import Anatomy, render_item
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Action, Kind, Localization, Release, State
from wireroom.releases.selectors import latest_correction_note
from wireroom.taxonomy.models import Sector
from wireroom.trust.selectors import SignatureState, release_signature

PUB_STATUS = {State.PUBLISHED: "usable", State.CORRECTED: "usable", State.WITHDRAWN: "canceled"}
MEDIA_TOPIC_URI = "http://cv.iptc.org/newscodes/mediatopic/"


def iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def page_url(release: Release, language: str) -> str:
    return settings.BASE_URL + reverse("newsroom:release", kwargs={"release_id": release.id, "language": language})


@dataclass(frozen=True)
class Item:
    """A release as one version describes it.

    With an `action` it is the distributed version that action made, as it is when it goes out: a scheduled
    release is rendered before its embargo second, so it is already `usable` with that second as its time.
    Without one, it is the release as it stands, in whatever state (the API's view).
    """

    release: Release
    version: int
    action: str | None
    pub_status: str
    version_created: dt.datetime
    content_created: dt.datetime | None
    correction_note: str

    @property
    def kind(self) -> Kind:
        return Kind(self.release.kind)

    @cached_property
    def localizations(self) -> list[Localization]:
        """In the wire's language order."""
        return sorted(self.release.localizations.all(), key=lambda loc: loc.language.position)

    @cached_property
    def original(self) -> Localization:
        return next((loc for loc in self.localizations if loc.language_id == self.release.original_language_id),
                    self.localizations[0])

    def localization(self, language: str | None) -> Localization:
        """The localization in `language`; None is the original. An unknown language is a LookupError."""
        if language is None:
            return self.original
        for localization in self.localizations:
            if localization.language_id == language:
                return localization
        raise LookupError(language)

    def anatomy(self, localization: Localization) -> Anatomy:
        return render_item(self.release, localization.language_id, correction_note=self.correction_note)

    @cached_property
    def media_topics(self) -> list[tuple[str, Sector]]:
        """(medtop code, the first sector mapped to it), once per code; sectors with no Media Topic are left out."""
        seen: dict[str, Sector] = {}
        for sector in self.release.sectors.all():
            if sector.iptc_code and sector.iptc_code not in seen:
                seen[sector.iptc_code] = sector
        return list(seen.items())

    @cached_property
    def signature(self) -> SignatureState:
        return release_signature(release=self.release)

    def signature_url(self) -> str:
        return settings.BASE_URL + reverse("api:release_signature", kwargs={"release_id": self.release.id})

    def uri(self, language: str | None = None) -> str:
        return self.release.urn if language is None else f"{self.release.urn}:{language}"


def _version_row_time(release: Release, number: int) -> dt.datetime | None:
    return release.versions.filter(number=number).values_list("created_at", flat=True).first()


def item_of(*, release: Release, version: int | None = None, action: str | None = None,
            upcoming: Upcoming | None = None) -> Item:
    """`upcoming`: the version is about to be made and has no row yet; its time and note are taken from it."""
    if upcoming is not None:
        return Item(
            release=release, version=upcoming.number, action=Action(upcoming.action),
            pub_status="canceled" if upcoming.action == Action.WITHDRAW else "usable",
            version_created=upcoming.at,
            content_created=release.published_at or release.embargo_at or upcoming.at,
            correction_note=upcoming.note if upcoming.action == Action.CORRECT else "",
        )
    number = release.version if version is None else version
    if action is None:
        latest = release.versions.order_by("-number").values_list("created_at", flat=True).first()
        return Item(
            release=release, version=number, action=None,
            pub_status=PUB_STATUS.get(State(release.state), "withheld"),
            version_created=latest or release.updated_at,
            content_created=release.published_at,
            correction_note=latest_correction_note(release=release),
        )
    kind = Action(action)
    note = ""
    if kind == Action.CORRECT:
        note = release.versions.filter(number=number).values_list("note", flat=True).first() or ""
    # A scheduled release is rendered before its version exists; it will carry the embargo second.
    made = _version_row_time(release, number) or release.embargo_at or timezone.now()
    return Item(
        release=release, version=number, action=kind,
        pub_status="canceled" if kind == Action.WITHDRAW else "usable",
        version_created=made,
        content_created=release.published_at or release.embargo_at or made,
        correction_note=note,
    )
