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
from tests.support.report import sent_release
from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery
from wireroom.releases.models import Release

HEADLINE = "نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية"


def _client(actors: dict[str, Membership], role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(actors[role].user)
    return client


@pytest.fixture
def sent(make_release: Callable[..., Release]) -> Release:
    return sent_release(make_release)


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
def test_a_long_tail_of_retries_is_counted_minute_by_minute_from_each_minutes_start(sent: Release) -> None:
    from wireroom.distribution.selectors import delivered_over_time

    published = sent.versions.get(number=1).created_at.replace(second=0, microsecond=0)
    after = (dt.timedelta(seconds=10), dt.timedelta(seconds=20), dt.timedelta(minutes=20, seconds=42))
    for row, offset in zip(Delivery.objects.filter(release=sent, state="delivered").order_by("id"), after,
                           strict=True):
        row.delivered_at = published + offset
        row.save()
    points = delivered_over_time(release_id=sent.id, since=published, last=published + after[-1])
    # Over ten minutes: one step a minute, each placed at its minute's first second after the release.
    assert points == [(0.0, 2), (20 * 60.0, 3)]


@pytest.mark.django_db
def test_the_report_counts_by_the_country_kept_on_each_delivery_when_it_was_staged(sent: Release) -> None:
    from wireroom.distribution.selectors import delivery_groups

    rows = Delivery.objects.filter(release=sent)
    assert sorted(rows.values_list("country", flat=True)) == ["", "", "AE", "AE"]
    counted: dict[str, int] = {}
    for group in delivery_groups(release_id=sent.id):
        counted[group.country] = counted.get(group.country, 0) + group.count
    assert counted == {"AE": 2, "": 2}


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


@pytest.mark.django_db
def test_the_report_is_in_arabic_right_to_left_for_an_issuer_whose_profile_says_arabic(
    sent: Release, actors: dict[str, Membership],
) -> None:
    user = actors["issuer_member"].user
    user.language = "ar"
    user.save()
    client = _client(actors, "issuer_member")
    # The profile's language wins over what the browser asks for.
    html = client.get(f"/workspace/releases/{sent.id}/report/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert f"<title>{HEADLINE} · تقرير التوزيع" in html
    for heading in ("حسب القناة", "عمليات التسليم الفاشلة", "ما تلا ذلك", "حسب اللغة"):
        assert heading in html, heading
    assert "الإصدار 1 (منشور)" in html, "the version's action is a translated state"
    assert "فشلت عملية تسليم واحدة (1)." in html, "one failure takes Arabic's singular form"
    assert ">النسخ المُسلَّمة حسب البلد</title>" in html, "the charts are titled in Arabic"
    assert "الإمارات" in html, "countries are named in Arabic"
    assert '<th scope="row">البريد الإلكتروني</th>' in html, "channels are named in Arabic"
    assert "<td>صحفي</td>" in html, "so is the kind of recipient a failed copy was for"
    for english in ("By channel", "Failed deliveries", "What followed", "Copies handed off"):
        assert english not in html, english


@pytest.mark.django_db
def test_the_report_follows_accept_language_in_japanese_and_the_csv_header_stays_english(
    sent: Release, actors: dict[str, Membership],
) -> None:
    from wireroom.distribution import exports

    client = _client(actors, "issuer_admin")
    html = client.get(f"/workspace/releases/{sent.id}/report/", HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5").content.decode()
    assert '<html lang="ja" dir="ltr">' in html
    for text in ("チャネル別", "失敗した配信", "1 件の配信が失敗しました。", "配信 4 件", "バージョン 1（公開済み）",
                 ">言語別の引き渡し部数</title>", '<th scope="row">メール</th>'):
        assert text in html, text
    # Machines read the CSV: its column names are the same in every language.
    response = client.get(f"/workspace/releases/{sent.id}/report.csv", HTTP_ACCEPT_LANGUAGE="ja")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert next(csv.reader(io.StringIO(text))) == list(exports.HEADER)


@pytest.mark.django_db
def test_pre_positionings_rows_are_headed_by_translated_names_while_the_csv_keeps_their_codes(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    from wireroom.mediadb.models import Outlet, OutletType
    from wireroom.releases import services
    from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint

    outlet = Outlet.objects.create(name="Terminal One", type=OutletType.TERMINAL_PARTNER, country_id="GB")
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url="https://hooks.terminal-one.example/wire",
                                              secrets=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], prepositioned=True)
    Subscription.objects.create(outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK)
    release = make_release("approved")
    services.release_publish(release=release, by=actors["issuer_admin"],
                             embargo_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    client = _client(actors, "issuer_admin")
    url = f"/workspace/releases/{release.id}/report/"
    scheduled = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for heading in ("Version 1 (Vorab versiegelt)", "Version 1 (Schlüssel freigegeben)"):
        assert heading in scheduled, heading
    assert "(envelope)" not in scheduled and "(key)" not in scheduled

    # The envelope went out; dropping the schedule then sends a kill notice instead of the key.
    Delivery.objects.filter(release=release, action="envelope").update(state="delivered",
                                                                       delivered_at=dt.datetime.now(dt.UTC))
    services.release_unschedule(release=release, by=actors["issuer_admin"])
    dropped = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "バージョン 1（封印コピーを取り消し）" in dropped and "(kill)" not in dropped
    response = client.get(f"/workspace/releases/{release.id}/report.csv", HTTP_ACCEPT_LANGUAGE="de")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))  # type: ignore[attr-defined]
    assert {row["action"] for row in rows} == {"envelope", "kill"}
