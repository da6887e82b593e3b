"""The issuer workspace: the organization's releases, composing and editing through the release services, the
live reach, translations by hand, previews, submitting and scheduling; every view closed to other roles and to
other organizations, and every bad form answered beside its field with nothing changed."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.support.api import ApiClient
from tests.support.factories import contact
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.releases import services
from wireroom.releases.models import Localization, Release, State

pytestmark = pytest.mark.django_db

PASTED_FROM_A_WORD_PROCESSOR = (
    '<p class="MsoNormal" style="margin-bottom:0cm;line-height:normal"><span style="font-size:12pt;'
    'font-family:&quot;Calibri&quot;">Nahr Energy switched on its <b>new plant</b> today.</span></p>'
    '<script>alert(1)</script><p><o:p></o:p>It runs on <a href="javascript:alert(2)">solar</a> power.</p>'
)


def _client(actor: Membership) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def _compose(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "press_release", "original_language": "en",
        "headline": "Nahr Energy opens a solar-powered desalination plant",
        "summary": "Drinking water for fifty thousand homes.", "dateline": "Dubai",
        "body_html": "<p>Nahr Energy today switched on its new plant.</p>",
        "sectors": ["energy"], "countries": ["AE"], "regions": [], "languages": ["en", "ar"],
        "timing": "approval", "embargo_local": "", "time_zone": "Asia/Dubai",
        "contact_0_name": "Layla Haddad", "contact_0_email": "press@nahr.example",
    }
    data.update(overrides)
    return data


def _workspace_urls(release: Release) -> list[str]:
    base = f"/workspace/releases/{release.pk}/"
    return ["/workspace/", "/workspace/releases/new/",
            "/workspace/reach/?sectors=energy&original_language=en&kind=press_release",
            base, f"{base}localizations/fr/", f"{base}preview/ar/", f"{base}preview/ar/email.html"]


def _posted_urls(release: Release) -> list[str]:
    base = f"/workspace/releases/{release.pk}/"
    return [f"{base}submit/", f"{base}publish/", f"{base}unschedule/", f"{base}localizations/en/accept/"]


def test_every_workspace_page_sends_an_anonymous_visitor_to_sign_in(make_release: Callable[..., Release]) -> None:
    release = make_release("draft")
    for url in _workspace_urls(release) + _posted_urls(release):
        response = Client().post(url) if url in _posted_urls(release) else Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.parametrize("role", ["wire_editor", "wire_admin"])
def test_the_wires_staff_are_refused_the_workspace(make_release: Callable[..., Release],
                                                   actors: dict[str, Membership], role: str) -> None:
    release = make_release("draft")
    client = _client(actors[role])
    for url in _workspace_urls(release):
        assert client.get(url).status_code == 403, url
    for url in _posted_urls(release):
        assert client.post(url).status_code == 403, url


def test_an_issuer_cannot_open_another_organizations_release(make_release: Callable[..., Release],
                                                             actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    client = _client(actors["other_issuer_admin"])
    for url in _workspace_urls(release)[3:]:
        assert client.get(url).status_code == 404, url
    for url in _posted_urls(release):
        assert client.post(url).status_code == 404, url
    response = client.post(f"/workspace/releases/{release.pk}/", _compose(headline="Taken over"))
    assert response.status_code == 404
    html = client.get("/workspace/").content.decode()
    assert "Nahr Energy opens" not in html and "نهر للطاقة" not in html
    release.refresh_from_db()
    assert release.state == State.DRAFT
    assert release.localizations.get(language="ar").headline.startswith("نهر")


@pytest.mark.parametrize("role", ["issuer_member", "issuer_admin"])
def test_each_issuer_role_opens_every_workspace_page(make_release: Callable[..., Release],
                                                     actors: dict[str, Membership], role: str) -> None:
    release = make_release("draft")
    client = _client(actors[role])
    for url in _workspace_urls(release):
        assert client.get(url).status_code == 200, url


def test_the_list_filters_by_state_and_language_and_searches_headlines(make_release: Callable[..., Release],
                                                                       actors: dict[str, Membership]) -> None:
    make_release("draft")
    submitted = make_release("submitted", localizations=[services.LocalizationInput(
        language="ar", headline="شركة نهر تعلن نتائج الربع الثالث", body_html="<p>نتائج قوية.</p>")],
        languages=["ar"])
    services.release_create(by=actors["other_issuer_admin"], data=_input_of_other_org())
    client = _client(actors["issuer_member"])
    html = client.get("/workspace/").content.decode()
    assert html.count('<tr>') == 3, "the header and both releases; the other organization's is not listed"
    assert "Lotus" not in html
    only_submitted = client.get("/workspace/?state=submitted").content.decode()
    assert "الربع الثالث" in only_submitted and "Nahr Energy opens" not in only_submitted
    english = client.get("/workspace/?language=en").content.decode()
    assert "Nahr Energy opens" in english and "الربع الثالث" not in english
    searched = client.get("/workspace/", {"q": "الربع"}).content.decode()
    assert f"/workspace/releases/{submitted.pk}/" in searched and searched.count("<tr>") == 2
    bad = client.get("/workspace/?state=exploded")
    assert bad.status_code == 200
    assert 'class="field-error"' in bad.content.decode() and "No releases match." in bad.content.decode()


def _input_of_other_org() -> services.ReleaseInput:
    return services.ReleaseInput(kind="press_release", original_language="en", sectors=["energy"], localizations=[
        services.LocalizationInput(language="en", headline="Lotus Fintech raises a round", body_html="<p>Yes.</p>")])


def test_the_list_is_paginated(actors: dict[str, Membership]) -> None:
    for number in range(27):
        services.release_create(by=actors["issuer_member"], data=services.ReleaseInput(
            kind="press_release", original_language="en", sectors=["energy"], localizations=[
                services.LocalizationInput(language="en", headline=f"Release number {number}", body_html="<p>x</p>")]))
    client = _client(actors["issuer_member"])
    first = client.get("/workspace/").content.decode()
    assert first.count("<tr>") == 26 and "Page 1 of 2" in first
    second = client.get("/workspace/?page=2").content.decode()
    assert second.count("<tr>") == 3


def test_composing_saves_a_draft_through_the_services_and_shows_what_the_sanitizer_removed(
        actors: dict[str, Membership]) -> None:
    client = _client(actors["issuer_member"])
    response = client.post("/workspace/releases/new/", _compose(body_html=PASTED_FROM_A_WORD_PROCESSOR))
    assert response.status_code == 302
    release = Release.objects.get()
    assert response["Location"] == f"/workspace/releases/{release.pk}/"
    assert release.state == State.DRAFT and release.issuer == actors["issuer_member"].organization
    assert release.dateline == "Dubai" and release.contacts[0]["email"] == "press@nahr.example"
    assert sorted(release.languages.values_list("code", flat=True)) == ["ar", "en"]
    body = release.localizations.get(language="en").body_html
    assert "<script" not in body and "style=" not in body and "javascript:" not in body
    assert "<b>new plant</b>" in body or "<strong>new plant</strong>" in body
    page = client.get(response["Location"]).content.decode()
    assert "The draft is saved." in page
    assert "The sanitizer removed from the en text:" in page and "script" in page


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"headline": ""}, "headline", "This field is required."),
    ({"headline": "x" * 301}, "headline", "at most 300 characters"),
    ({"sectors": []}, "sectors", "This field is required."),
    ({"sectors": ["no-such-sector"]}, "sectors", "Select a valid choice."),
    ({"countries": ["ZZ"]}, "countries", "Select a valid choice."),
    ({"body_html": ""}, "body_html", "This field is required."),
    ({"contact_0_name": "", "contact_0_email": "", "contact_0_phone": "+971 4 000 0000"}, "contact_0_name",
     "A media contact needs a name or an e-mail address."),
    ({"contact_0_email": "not an address"}, "contact_0_email", "Enter a valid email address."),
    ({"timing": "embargo", "embargo_local": ""}, "embargo_local", "Give the second the release may go out."),
    ({"timing": "embargo", "embargo_local": "2020-01-01T09:00:00"}, "embargo_local", "This time has passed."),
    ({"timing": "embargo", "embargo_local": "2099-01-01T09:00:00"}, "embargo_local", "more than a year away"),
    ({"timing": "embargo", "embargo_local": "tomorrow at nine"}, "embargo_local", "Enter a valid date/time."),
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice."),
    ({"kind": "advertorial"}, "kind", "Select a valid choice."),
])
def test_bad_input_is_answered_beside_its_field_and_saves_nothing(
        actors: dict[str, Membership], change: dict[str, Any], field: str, message: str) -> None:
    client = _client(actors["issuer_member"])
    response = client.post("/workspace/releases/new/", _compose(**change))
    assert response.status_code == 422
    html = response.content.decode()
    match = re.search(rf'<p class="field invalid"><label for="id_{field}">.*?</p>|'
                      rf'<fieldset class="choices invalid" id="id_{field}-set">.*?</fieldset>', html, re.S)
    assert match is not None, field
    assert message in match.group(0)
    assert not Release.objects.exists()


def test_an_embargo_is_entered_in_the_issuers_time_zone_and_shown_with_utc_beside_it(
        actors: dict[str, Membership]) -> None:
    client = _client(actors["issuer_member"])
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    local = (timezone.now() + dt.timedelta(days=2)).astimezone(tokyo).replace(microsecond=0, tzinfo=None)
    response = client.post("/workspace/releases/new/", _compose(
        timing="embargo", embargo_local=local.strftime("%Y-%m-%dT%H:%M:%S"), time_zone="Asia/Tokyo"))
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.embargo_at == local.replace(tzinfo=tokyo).astimezone(dt.UTC)
    actors["issuer_member"].user.refresh_from_db()
    assert actors["issuer_member"].user.time_zone == "Asia/Tokyo"
    html = client.get(response["Location"]).content.decode()
    assert f"{local:%Y-%m-%d %H:%M:%S} Asia/Tokyo" in html
    assert f"{release.embargo_at:%Y-%m-%d %H:%M:%S} UTC" in html
    assert f'value="{local:%Y-%m-%dT%H:%M:%S}"' in html, "the form shows the local time again"


def test_a_time_the_clocks_skip_is_refused(actors: dict[str, Membership]) -> None:
    now = timezone.now()
    year = now.year + 1 if now.month >= 3 else now.year
    # In Berlin the clocks go from 02:00 to 03:00 on the last Sunday of March.
    day = max(dt.date(year, 3, d) for d in range(25, 32) if dt.date(year, 3, d).weekday() == 6)
    if dt.datetime.combine(day, dt.time(2, 30), tzinfo=dt.UTC) - now > dt.timedelta(days=360):
        day = max(dt.date(year - 1, 3, d) for d in range(25, 32) if dt.date(year - 1, 3, d).weekday() == 6)
    response = _client(actors["issuer_member"]).post("/workspace/releases/new/", _compose(
        timing="embargo", embargo_local=f"{day:%Y-%m-%d}T02:30:00", time_zone="Europe/Berlin"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "This time does not exist in Europe/Berlin" in html or "This time has passed." in html
    assert not Release.objects.exists()


def test_editing_changes_the_draft_and_a_submitted_release_can_no_longer_be_edited(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    client = _client(actors["issuer_member"])
    page = client.get(f"/workspace/releases/{release.pk}/").content.decode()
    assert 'value="نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية"' in page
    response = client.post(f"/workspace/releases/{release.pk}/", _compose(
        original_language="ar", headline="نهر للطاقة تفتتح محطتها الثانية", body_html="<p>المحطة الثانية.</p>"))
    assert response.status_code == 302
    assert release.localizations.get(language="ar").headline == "نهر للطاقة تفتتح محطتها الثانية"
    assert client.post(f"/workspace/releases/{release.pk}/submit/").status_code == 302
    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    page = client.get(f"/workspace/releases/{release.pk}/").content.decode()
    assert 'id="release-form"' not in page and "Submitted" in page
    refused = client.post(f"/workspace/releases/{release.pk}/", _compose(
        original_language="ar", headline="تغيير بعد الإرسال"))
    assert refused.status_code == 422
    assert "it can no longer be edited" in refused.content.decode()
    assert release.localizations.get(language="ar").headline == "نهر للطاقة تفتتح محطتها الثانية"
    again = client.post(f"/workspace/releases/{release.pk}/submit/", follow=True)
    assert "Cannot submit this release" in again.content.decode()


def test_a_refusal_reads_in_the_issuers_language_in_the_workspace_and_in_english_in_the_api(
        make_release: Callable[..., Release], actors: dict[str, Membership], api: Callable[[str], ApiClient]) -> None:
    release = make_release("submitted")
    member = actors["issuer_admin"]
    member.user.language = "de"
    member.user.save()
    client = _client(member)
    refused = client.post(f"/workspace/releases/{release.pk}/", _compose(original_language="ar", headline="Neu"))
    assert refused.status_code == 422
    assert "Diese Meldung hat den Status „Eingereicht“; sie kann nicht mehr bearbeitet werden." in (
        refused.content.decode())
    again = client.post(f"/workspace/releases/{release.pk}/submit/", follow=True).content.decode()
    assert "Einreichen ist für diese Meldung nicht möglich: Ihr Status ist „Eingereicht“ (erlaubt aus: " in again
    assert "(erlaubt aus: Entwurf, Änderungen erbeten)." in again and "Cannot submit" not in again
    # The same refusal through the API, to the same person asking for German, stays English.
    issuer = api("issuer_admin")
    issuer.headers["Accept-Language"] = "de"
    answer = issuer.post(f"/api/v1/releases/{release.pk}/submit")
    assert answer.status_code == 409
    assert answer.json()["error"]["message"] == (
        "Cannot submit this release: it is submitted (allowed from: changes requested, draft).")


def test_the_editors_note_is_shown_and_the_issuer_submits_again(make_release: Callable[..., Release],
                                                                  actors: dict[str, Membership]) -> None:
    release = make_release("changes_requested")
    client = _client(actors["issuer_member"])
    page = client.get(f"/workspace/releases/{release.pk}/").content.decode()
    assert "The editor's note" in page and "Please add a contact." in page
    assert "Submit again" in page and 'id="release-form"' in page
    client.post(f"/workspace/releases/{release.pk}/submit/")
    release.refresh_from_db()
    assert release.state == State.SUBMITTED


def test_the_issuer_answers_a_change_request_and_the_desk_reads_the_answer_beside_the_changes(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("changes_requested")
    client = _client(actors["issuer_member"])
    url = f"/workspace/releases/{release.pk}/submit/"
    page = client.get(f"/workspace/releases/{release.pk}/").content.decode()
    assert "Your answer to the editor" in page and 'name="reply"' in page
    too_long = client.post(url, {"reply": "x" * 5001})
    assert too_long.status_code == 422
    assert re.search(r'name="reply".*?class="field-error">[^<]*at most 5000 characters', too_long.content.decode(),
                     re.S)
    beeping = client.post(url, {"reply": "Done\u0007"})
    assert beeping.status_code == 422 and "control character" in beeping.content.decode()
    release.refresh_from_db()
    assert release.state == State.CHANGES_REQUESTED and not release.submissions.filter(number=2).exists()

    assert client.post(url, {"reply": "  Added Layla's number.\nThe plant serves 50,000 homes. "}).status_code == 302
    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    submission = release.submissions.get(number=2)
    assert (submission.note, submission.reply) == (
        "Please add a contact.", "Added Layla's number.\nThe plant serves 50,000 homes.")
    entry = AuditEntry.objects.filter(action="release.submit", target_id=str(release.pk)).latest("at")
    assert entry.data == {"note": "Please add a contact.", "reply": submission.reply}
    desk = _client(actors["wire_editor"]).get(f"/desk/releases/{release.pk}/").content.decode()
    assert "The desk asked:" in desk and "Please add a contact." in desk
    assert "The issuer answered:" in desk and "Added Layla&#x27;s number.<br>The plant serves 50,000 homes." in desk


def test_an_answer_without_a_change_request_is_refused_beside_its_field(make_release: Callable[..., Release],
                                                                        actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    response = _client(actors["issuer_member"]).post(f"/workspace/releases/{release.pk}/submit/",
                                                     {"reply": "Here you are."})
    assert response.status_code == 422
    assert re.search(r'name="reply".*?class="field-error">There is no change request to answer.',
                     response.content.decode(), re.S)
    release.refresh_from_db()
    assert release.state == State.DRAFT and not release.submissions.exists()


def test_submitting_again_without_an_answer_tells_the_desk_so(make_release: Callable[..., Release],
                                                             actors: dict[str, Membership]) -> None:
    release = make_release("changes_requested")
    assert _client(actors["issuer_member"]).post(f"/workspace/releases/{release.pk}/submit/").status_code == 302
    submission = release.submissions.get(number=2)
    assert (submission.note, submission.reply) == ("Please add a contact.", "")
    desk = _client(actors["wire_editor"]).get(f"/desk/releases/{release.pk}/").content.decode()
    assert "The desk asked:" in desk and "submitted again without an answer" in desk


def test_only_an_issuer_admin_schedules_and_unschedules_an_approved_release(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("approved", embargo_at=timezone.now() + dt.timedelta(hours=3))
    member = _client(actors["issuer_member"])
    assert "Schedule for the embargo" not in member.get(f"/workspace/releases/{release.pk}/").content.decode()
    assert member.post(f"/workspace/releases/{release.pk}/publish/").status_code == 403
    release.refresh_from_db()
    assert release.state == State.APPROVED
    admin = _client(actors["issuer_admin"])
    admin.post(f"/workspace/releases/{release.pk}/publish/")
    release.refresh_from_db()
    assert release.state == State.SCHEDULED
    assert "Unschedule" in admin.get(f"/workspace/releases/{release.pk}/").content.decode()
    assert member.post(f"/workspace/releases/{release.pk}/unschedule/").status_code == 403
    admin.post(f"/workspace/releases/{release.pk}/unschedule/")
    release.refresh_from_db()
    assert release.state == State.APPROVED and release.embargo_at is None


def test_the_reach_estimate_follows_the_chosen_sectors_and_countries(actors: dict[str, Membership]) -> None:
    contact("Amal", beats=("energy",), countries=("AE",), languages=("ar",))
    contact("Bashir", beats=("energy",), countries=("SA",), languages=("en",))
    contact("Chen", beats=("sports",), countries=("AE",), languages=("en",))
    client = _client(actors["issuer_member"])

    def journalists(query: str) -> int:
        html = client.get(f"/workspace/reach/?original_language=en&kind=press_release&{query}").content.decode()
        found = re.search(r'<dd id="reach-journalists">(\d+)</dd>', html)
        assert found is not None, html
        return int(found.group(1))

    assert journalists("sectors=energy") == 2
    assert journalists("sectors=energy&countries=AE") == 1
    assert journalists("sectors=energy&sectors=sports") == 3
    assert journalists("sectors=energy&regions=gcc") == 2
    refused = client.get("/workspace/reach/?sectors=nonsense&original_language=en&kind=press_release")
    assert refused.status_code == 422 and "not recognised" in refused.content.decode()


def test_a_translation_by_hand_is_saved_beside_the_original_and_bad_input_keeps_nothing(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    client = _client(actors["issuer_member"])
    page = client.get(f"/workspace/releases/{release.pk}/localizations/fr/").content.decode()
    assert "نهر للطاقة تفتتح محطة تحلية" in page, "the original beside the form"
    bad = client.post(f"/workspace/releases/{release.pk}/localizations/fr/", {"headline": "", "body_html": "<p>x</p>"})
    assert bad.status_code == 422 and 'class="field-error"' in bad.content.decode()
    assert not release.localizations.filter(language="fr").exists()
    response = client.post(f"/workspace/releases/{release.pk}/localizations/fr/", {
        "headline": "Nahr Energy inaugure une usine de dessalement solaire",
        "body_html": "<p>Nahr Energy a mis en service sa nouvelle usine.</p><script>x</script>",
        "translator": "Claire Martin"})
    assert response.status_code == 302
    french = release.localizations.get(language="fr")
    assert (french.origin, french.translated_from_id, french.translator) == ("human", "ar", "Claire Martin")
    page = client.get(f"/workspace/releases/{release.pk}/").content.decode()
    assert "Nahr Energy inaugure" in page and "Claire Martin" in page
    assert "The sanitizer removed from the fr text:" in page
    assert client.get(f"/workspace/releases/{release.pk}/localizations/ar/").status_code == 404, "the original"
    assert client.get(f"/workspace/releases/{release.pk}/localizations/xx/").status_code == 404


def test_the_preview_shows_the_email_in_html_and_text_and_the_ninjs_of_each_language(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    client = _client(actors["issuer_member"])
    html = client.get(f"/workspace/releases/{release.pk}/preview/en/").content.decode()
    assert "Nahr Energy opens a solar-powered desalination plant" in html
    assert f'href="/releases/{release.pk}/en/"' in html
    ninjs = re.search(r'<pre class="ninjs" dir="ltr">(.*?)</pre>', html, re.S)
    assert ninjs is not None
    item = json.loads(ninjs.group(1).replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
                      .replace("&lt;", "<").replace("&gt;", ">"))
    assert item["language"] == "en" and item["headlines"][0]["value"].startswith("Nahr Energy opens")
    assert 'href="/workspace/releases/' in html and "/preview/ar/" in html
    frame = client.get(f"/workspace/releases/{release.pk}/preview/ar/email.html")
    assert frame.status_code == 200 and "نهر للطاقة" in frame.content.decode()
    assert "sandbox" in frame["Content-Security-Policy"] and frame["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get(f"/workspace/releases/{release.pk}/preview/fr/").status_code == 404


def test_the_workspace_speaks_arabic_right_to_left(make_release: Callable[..., Release],
                                                   actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    user = actors["issuer_member"].user
    user.language = "ar"
    user.save()
    client = _client(actors["issuer_member"])
    for url in ["/workspace/", f"/workspace/releases/{release.pk}/", "/workspace/releases/new/"]:
        html = client.get(url).content.decode()
        assert '<html lang="ar" dir="rtl">' in html
    assert "الطاقة" in client.get("/workspace/releases/new/").content.decode(), "sector names in Arabic"


def test_a_machine_draft_waits_for_an_issuer_admins_acceptance(make_release: Callable[..., Release],
                                                                actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    services.release_update(release=release, by=actors["issuer_admin"], data=services.ReleaseInput(localizations=[
        services.LocalizationInput(language="fr", headline="Nahr Energy inaugure une usine", body_html="<p>Oui.</p>",
                                   origin="machine", engine="apertium", translated_from="ar")]))
    # The worker marks its own drafts as waiting; a machine text the issuer sends is theirs already.
    Localization.objects.filter(release=release, language="fr").update(issuer_acceptance="pending")
    member = _client(actors["issuer_member"])
    assert "Accept this machine translation" not in member.get(
        f"/workspace/releases/{release.pk}/localizations/fr/").content.decode()
    assert member.post(f"/workspace/releases/{release.pk}/localizations/fr/accept/").status_code == 403
    admin = _client(actors["issuer_admin"])
    assert "Accept this machine translation" in admin.get(
        f"/workspace/releases/{release.pk}/localizations/fr/").content.decode()
    admin.post(f"/workspace/releases/{release.pk}/localizations/fr/accept/")
    assert release.localizations.get(language="fr").issuer_acceptance == "accepted"


def test_machine_translations_are_requested_from_the_release_page(actors: dict[str, Membership]) -> None:
    release = services.release_create(by=actors["issuer_member"], data=services.ReleaseInput(
        kind="press_release", original_language="zh-Hans", sectors=["energy"], localizations=[
            services.LocalizationInput(language="zh-Hans", headline="纳赫尔能源启用太阳能海水淡化厂",
                                       body_html="<p>新工厂今天投入使用。</p>")])).release
    client = _client(actors["issuer_member"])
    page = client.post(f"/workspace/releases/{release.pk}/translations/", {"languages": ["zh-Hant"]}, follow=True)
    assert "Machine translation requested: zh-Hant." in page.content.decode()
    assert "Machine translations requested" in page.content.decode()
    assert list(release.translation_jobs.values_list("language_id", "state")) == [("zh-Hant", "pending")]
    refused = client.post(f"/workspace/releases/{release.pk}/translations/", {"languages": []}, follow=True)
    assert "Name at least one language" in refused.content.decode()
    assert release.translation_jobs.count() == 1
    other = _client(actors["other_issuer_admin"])
    assert other.post(f"/workspace/releases/{release.pk}/translations/", {"languages": ["en"]}).status_code == 404


def test_every_release_that_went_out_links_its_distribution_report(make_release: Callable[..., Release],
                                                                     actors: dict[str, Membership]) -> None:
    draft = make_release("draft")
    published = make_release("published")
    client = _client(actors["issuer_member"])
    listing = client.get("/workspace/").content.decode()
    assert f'href="/workspace/releases/{published.pk}/report/"' in listing
    assert f'href="/workspace/releases/{draft.pk}/report/"' not in listing
    page = client.get(f"/workspace/releases/{published.pk}/").content.decode()
    assert f'href="/workspace/releases/{published.pk}/report/"' in page
    assert "report/" not in client.get(f"/workspace/releases/{draft.pk}/").content.decode()
