"""The distribution report of one release: measured figures only (what was handed off, what failed, what
followed), counted in SQL by the selectors and put together here for the page, the PDF and the CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from wireroom.distribution import charts, selectors
from wireroom.distribution.prepositioning import ENVELOPE, KEY, KILL
from wireroom.distribution.renderings import ALL_LANGUAGES
from wireroom.distribution.selectors import Tally
from wireroom.releases.models import Action, Release, State
from wireroom.taxonomy.labels import language_labels, territory_labels
from wireroom.taxonomy.models import tag_for_django_code

# The bar charts show this many countries or languages; the tables show them all.
CHART_ROWS = 15
# Names for the page and the PDF; the CSV keeps the codes, which machines read.
CHANNEL_NAMES = {"email": pgettext_lazy("delivery channel", "email"),
                 "webhook": pgettext_lazy("delivery channel", "webhook"),
                 "sftp": pgettext_lazy("delivery channel", "sftp"),
                 "websub": pgettext_lazy("delivery channel", "websub")}
RECIPIENT_NAMES = {"journalist": pgettext_lazy("recipient kind", "journalist"),
                   "editor": pgettext_lazy("recipient kind", "editor")}
# Pre-positioning's rows (docs/trust.md) are not release states; the CSV keeps their codes.
PREPOSITIONING_NAMES = {ENVELOPE: pgettext_lazy("delivery action", "Sealed in advance"),
                        KEY: pgettext_lazy("delivery action", "Key released"),
                        KILL: pgettext_lazy("delivery action", "Sealed copy killed")}


@dataclass
class VersionReport:
    number: int
    action: str
    at: dt.datetime | None
    last_handoff: dt.datetime | None
    channels: list[tuple[str, Tally]]
    countries: list[tuple[str, Tally]]
    languages: list[tuple[str, Tally]]

    @property
    def total(self) -> int:
        return sum(tally.total for _name, tally in self.channels)

    @property
    def delivered(self) -> int:
        return sum(tally.delivered for _name, tally in self.channels)

    @property
    def action_label(self) -> str:
        # An action's label is the state it leads to (Published, Corrected, Withdrawn): the catalogs translate it
        # once, as a release state.
        if self.action in Action.values:
            return pgettext("release state", Action(self.action).label)
        return str(PREPOSITIONING_NAMES.get(self.action, self.action))

    @property
    def seconds_to_last_handoff(self) -> float | None:
        if self.at is None or self.last_handoff is None:
            return None
        return round(max((self.last_handoff - self.at).total_seconds(), 0.0), 3)


@dataclass
class Report:
    release: Release
    headline: str
    headline_language: str
    versions: list[VersionReport]
    failed: int
    failures: list[dict[str, Any]]
    aftermath: dict[str, int]
    charts: list[charts.Chart] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return pgettext("release state", State(self.release.state).label)

    @property
    def deliveries(self) -> int:
        return sum(version.total for version in self.versions)


def _names(codes: list[str], labels: Any, unknown: str) -> dict[str, str]:
    tag = tag_for_django_code(translation.get_language() or "en")
    # A machine endpoint takes every language at once: its deliveries carry ALL_LANGUAGES.
    every = _("every language")
    return {code: every if code == ALL_LANGUAGES else labels(code, code).get(tag, code) if code else unknown
            for code in codes}


def release_report(*, release: Release) -> Report:
    """Everything the report shows, for a release its reader may see (the view checked that)."""
    unknown = _("unknown")
    times = {version.number: version for version in release.versions.all()}
    groups = selectors.delivery_groups(release_id=release.pk)
    versions = []
    for number, action in sorted({(group.version, group.action) for group in groups}):
        made = times.get(number)
        mine = [group for group in groups if group.version == number]
        countries = selectors.tallies(mine, "country")
        languages = selectors.tallies(mine, "language")
        country_names = _names([tally.key for tally in countries], territory_labels, unknown)
        language_names = _names([tally.key for tally in languages], language_labels, unknown)
        versions.append(VersionReport(
            number=number, action=action, at=made.created_at if made else release.embargo_at,
            last_handoff=max((group.last_handoff for group in mine if group.last_handoff), default=None),
            channels=[(str(CHANNEL_NAMES.get(tally.key, tally.key)), tally)
                      for tally in selectors.tallies(mine, "channel")],
            countries=[(country_names[tally.key], tally) for tally in countries],
            languages=[(language_names[tally.key], tally) for tally in languages],
        ))
    failed = sum(group.count for group in groups if group.state == "failed")
    failures = selectors.failures(release_id=release.pk) if failed else []
    for row in failures:
        row["channel_name"] = str(CHANNEL_NAMES.get(row["channel"], row["channel"]))
        role = row["contact__role"]
        row["recipient_kind"] = str(RECIPIENT_NAMES.get(role, role)) if role else row["channel_name"]
    original = next((loc for loc in release.localizations.all()
                     if loc.language_id == release.original_language_id), None)
    report = Report(release=release, headline=original.headline if original else release.urn,
                    headline_language=release.original_language_id, versions=versions, failed=failed,
                    failures=failures, aftermath=selectors.aftermath(release_id=release.pk))
    report.charts = _charts(report)
    return report


def _sum(tallies: list[tuple[str, Tally]], label: Any) -> tuple[tuple[str, ...], tuple[int, ...]]:
    totals: dict[str, int] = {}
    for _name, tally in tallies:
        key = label(tally.key)
        totals[key] = totals.get(key, 0) + tally.delivered
    ordered = sorted(((value, key) for key, value in totals.items() if value), key=lambda pair: (-pair[0], pair[1]))
    return tuple(key for _value, key in ordered[:CHART_ROWS]), tuple(value for value, _key in ordered[:CHART_ROWS])


def _charts(report: Report) -> list[charts.Chart]:
    """Delivered over time since the first version's second; delivered copies by country and by language, over
    every version. Labels are codes (AE, zh-Hans): the tables beside the charts name them."""
    if not report.versions or not any(version.delivered for version in report.versions):
        return []
    drawn = []
    first = report.versions[0]
    if first.at is not None:
        last = max((version.last_handoff for version in report.versions if version.last_handoff), default=None)
        points = selectors.delivered_over_time(release_id=report.release.pk, since=first.at, last=last)
        drawn.append(charts.delivered_over_time(
            tuple(points), title=_("Copies handed off since the embargo"), xlabel=_("seconds after the embargo"),
            prefix="chart-time"))
    every_country = [pair for version in report.versions for pair in version.countries]
    labels, values = _sum(every_country, lambda code: code or "?")
    if values:
        drawn.append(charts.bars(labels, values, title=_("Copies handed off by country"), prefix="chart-country"))
    every_language = [pair for version in report.versions for pair in version.languages]
    labels, values = _sum(every_language, lambda code: code or "?")
    if values:
        drawn.append(charts.bars(labels, values, title=_("Copies handed off by language"), prefix="chart-language"))
    return drawn
