"""The distribution report: measured figures of where every copy went, for the issuer (workspace) and the wire's
editors (desk), as a page, a CSV of every delivery and a PDF; nobody else sees it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client

from tests.support.email import make_contact
from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases.models import Release

HEADLINE = "نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية"


def _client(actors: dict[str, Membership], role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(actors[role].user)
    return client


@pytest.fixture
def sent(make_release: Callable[..., Release]) -> Release:
    """A published release whose copies went out: three handed off, one failed, one bounced afterwards."""
    gulf = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    readers = [make_contact(f"reader{n}@example.com", languages=("ar",) if n % 2 else ("en",)) for n in range(4)]
    for reader in readers[:2]:
        reader.outlet = gulf
        reader.save()
    release = make_release("published")
    rows = Delivery.objects.filter(release=release).order_by("id")
    assert rows.count() == 4
    published = release.versions.get(number=1).created_at
    for offset, row in enumerate(rows[:3]):
        row.state, row.delivered_at, row.attempts = "delivered", published + dt.timedelta(seconds=offset + 1), 1
        row.save()
    failed = rows[3]
    failed.state, failed.attempts, failed.last_error = "failed", 5, "=550 mailbox unavailable"
    failed.save()
    bounced = rows[0].contact
    assert bounced is not None
    bounced.status, bounced.status_changed_at = "bounced", published + dt.timedelta(minutes=5)
    bounced.save()
    return release


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["report/", "report.csv", "report.pdf", "receipts.json"])
def test_the_workspace_report_is_for_the_issuer_and_the_editors_only(
    sent: Release, actors: dict[str, Membership], suffix: str,
) -> None:
    url = f"/workspace/releases/{sent.id}/{suffix}"
    response = _client(actors, None).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for role, status in (("issuer_member", 200), ("issuer_admin", 200), ("wire_editor", 200), ("wire_admin", 200),
                         ("other_issuer_admin", 404)):
        response = _client(actors, role).get(url)
        assert response.status_code == status, role
        if status == 404:
            assert HEADLINE.encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["report/", "report.csv", "report.pdf", "receipts.json"])
def test_the_desk_report_is_for_the_wires_editors_only(
    sent: Release, actors: dict[str, Membership], suffix: str,
) -> None:
    url = f"/desk/releases/{sent.id}/{suffix}"
    assert _client(actors, None).get(url).status_code == 302
    for role, status in (("issuer_member", 403), ("issuer_admin", 403), ("other_issuer_admin", 403),
                         ("wire_editor", 200), ("wire_admin", 200)):
        assert _client(actors, role).get(url).status_code == status, role


@pytest.mark.django_db
def test_an_unknown_release_has_no_report(actors: dict[str, Membership]) -> None:
    client = _client(actors, "wire_editor")
    assert client.get("/desk/releases/00000000-0000-0000-0000-000000000000/report/").status_code == 404
    assert client.get("/workspace/releases/not-a-uuid/report/").status_code == 404
    assert client.post(f"/workspace/releases/{'0' * 8}-0000-0000-0000-{'0' * 12}/report/").status_code in (404, 405)


@pytest.mark.django_db
def test_the_report_is_titled_with_the_headline_and_shows_measured_figures_only(
    sent: Release, actors: dict[str, Membership],
) -> None:
    response = _client(actors, "issuer_member").get(f"/workspace/releases/{sent.id}/report/")
    html = response.content.decode()
    assert f"<title>{HEADLINE} · Distribution report" in html
    assert f'<bdi lang="ar" dir="auto">{HEADLINE}</bdi>' in html
    assert "potential" not in html.lower() and "audience" not in html.lower()
    # By channel: 3 handed off, 1 failed, 4 in all.
    assert '<th scope="row">email</th><td>3</td><td>1</td><td>0</td><td>0</td><td>4</td>' in html
    # By country of the outlet: two readers at a paper in the Emirates, two with no outlet.
    assert "United Arab Emirates" in html
    assert re.search(r'<span class="code">AE</span></th><td>\d</td><td>\d</td><td>2</td>', html)
    assert "Arabic" in html and "English" in html
    # The last hand-off came 3 seconds after the release second.
    assert "3.000 s" in html
    # One reader bounced after their copy reached them.
    assert "<dt>Bounced</dt><dd>1</dd>" in html
    # The failure and its reason, without the recipient's address in the issuer's view.
    assert "=550 mailbox unavailable" in html
    failed = Delivery.objects.get(release=sent, state="failed").contact
    assert failed is not None and failed.email not in html
    desk = _client(actors, "wire_editor").get(f"/desk/releases/{sent.id}/report/").content.decode()
    assert failed.email in desk


@pytest.mark.django_db
def test_copies_are_counted_up_second_by_second_from_the_embargo(sent: Release) -> None:
    from wireroom.distribution.selectors import delivered_over_time

    published = sent.versions.get(number=1).created_at
    points = delivered_over_time(release_id=sent.id, since=published, last=published + dt.timedelta(seconds=3))
    # Handed off 1, 2 and 3 seconds after the release second: one step each, counted up, within the span.
    assert [total for _at, total in points] == [1, 2, 3]
    seconds = [at for at, _total in points]
    assert seconds == sorted(seconds) and seconds[0] >= 0 and seconds[-1] <= 4


@pytest.mark.django_db
def test_the_charts_are_inline_svg_that_needs_no_inline_style(sent: Release, actors: dict[str, Membership]) -> None:
    html = _client(actors, "issuer_member").get(f"/workspace/releases/{sent.id}/report/").content.decode()
    charts = html[html.index('<section class="charts"'):]
    charts = charts[:charts.index("</section>")]
    assert charts.count("<svg ") == 3
    assert "<style" not in charts and " style=" not in charts and "<script" not in charts
    for title in ("Copies handed off since the embargo", "Copies handed off by country",
                  "Copies handed off by language"):
        assert f">{title}</title>" in html


@pytest.mark.django_db
def test_the_csv_has_one_row_per_delivery_and_defuses_formulas(sent: Release, actors: dict[str, Membership]) -> None:
    response = _client(actors, "issuer_admin").get(f"/workspace/releases/{sent.id}/report.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == Delivery.objects.filter(release=sent).count() == 4
    assert {row["state"] for row in rows} == {"delivered", "failed"}
    assert {row["recipient_kind"] for row in rows} == {"journalist"}
    assert sorted(row["country"] for row in rows) == ["", "", "AE", "AE"]
    failed = next(row for row in rows if row["state"] == "failed")
    assert failed["error"] == "'=550 mailbox unavailable" and failed["attempts"] == "5"


@pytest.mark.django_db
def test_the_csv_of_a_release_larger_than_a_page_has_every_row_once(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    from wireroom.distribution import exports

    for n in range(exports.PAGE + 7):
        make_contact(f"many{n}@example.com")
    release = make_release("published")
    response = _client(actors, "issuer_member").get(f"/workspace/releases/{release.id}/report.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    ids = [row["delivery"] for row in csv.DictReader(io.StringIO(text))]
    assert len(ids) == len(set(ids)) == exports.PAGE + 7


@pytest.mark.django_db
def test_the_pdf_is_the_report_laid_out_by_weasyprint(sent: Release, actors: dict[str, Membership]) -> None:
    response = _client(actors, "wire_editor").get(f"/desk/releases/{sent.id}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF-") and len(body) > 5000


@pytest.mark.django_db
def test_a_release_with_nothing_staged_says_so(make_release: Callable[..., Release],
                                              actors: dict[str, Membership]) -> None:
    release = make_release("approved")
    html = _client(actors, "issuer_member").get(f"/workspace/releases/{release.id}/report/").content.decode()
    assert "Nothing has been staged for this release yet" in html


@pytest.mark.django_db
def test_the_old_report_address_leads_to_the_new_one(sent: Release, actors: dict[str, Membership]) -> None:
    response = _client(actors, "issuer_member").get(f"/console/releases/{sent.id}/deliveries/")
    assert response.status_code == 301
    assert response["Location"] == f"/workspace/releases/{sent.id}/report/"
