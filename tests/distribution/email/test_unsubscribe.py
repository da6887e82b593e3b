"""One-click unsubscribe (RFC 8058) and the preference centre, reached by the signed token in every message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings

from tests.support.email import make_contact, make_delivery
from tests.support.renderings import store_renderings
from wireroom.audit.models import AuditEntry
from wireroom.distribution.channels.email import tokens
from wireroom.distribution.channels.email.message import MessageTemplate, Recipient
from wireroom.distribution.models import RenderedItem
from wireroom.distribution.targeting import Target, email_recipients
from wireroom.mediadb.models import Contact, ContactLanguage
from wireroom.releases.models import Release
from wireroom.subscriptions.models import Subscription
from wireroom.taxonomy.models import Sector

ONE_CLICK = "List-Unsubscribe=One-Click"


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _form_post(client: Client, path: str, data: dict[str, Any]) -> HttpResponse:
    """Posts the preference centre's form as a browser does: the CSRF token from the page it was shown on."""
    client.get(path)
    return client.post(path, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})  # type: ignore[return-value]


def _path(contact: Contact, kind: str = "u") -> str:
    return f"/{kind}/{tokens.contact_token(contact.pk)}/"


def _audit(contact: Contact) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(target_type="mediadb.contact", target_id=str(contact.pk)).order_by("id"))


@pytest.mark.django_db
def test_one_click_post_unsubscribes_without_login() -> None:
    contact = make_contact("tom@example.com", "Tom Becker")
    response = _csrf_client().post(_path(contact), ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.status == "unsubscribed"
    assert contact.status_changed_at is not None
    [entry] = _audit(contact)
    assert (entry.action, entry.actor, entry.from_state, entry.to_state) == (
        "contact.unsubscribe", None, "active", "unsubscribed")
    assert entry.data == {"via": "one-click"}


@pytest.mark.django_db
def test_unsubscribing_again_answers_200_and_changes_nothing_more() -> None:
    contact = make_contact("tom@example.com")
    client = _csrf_client()
    for _ in range(3):
        response = client.post(_path(contact), ONE_CLICK, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    assert len(_audit(contact)) == 1


@pytest.mark.django_db
def test_a_bounced_contact_who_unsubscribes_stays_bounced() -> None:
    contact = make_contact("gone@example.com", status="bounced")
    assert _csrf_client().post(_path(contact), ONE_CLICK,
                               content_type="application/x-www-form-urlencoded").status_code == 200
    contact.refresh_from_db()
    assert contact.status == "bounced"
    assert _audit(contact) == []


@pytest.mark.django_db
def test_get_asks_in_the_contacts_language_with_a_button_and_a_link_to_preferences() -> None:
    contact = make_contact("anna@example.de", "Anna Schmidt", languages=("de", "en"))
    response = Client().get(_path(contact))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="de" dir="ltr">' in page
    assert "Keine Meldungen von Wireroom mehr an anna@example.de erhalten?" in page
    assert f'<form method="post" action="http://127.0.0.1:8000{_path(contact)}">' in page
    assert '<button type="submit">Abmelden</button>' in page
    assert f'href="http://127.0.0.1:8000{_path(contact, "preferences")}"' in page
    contact.refresh_from_db()
    assert contact.status == "active"  # a GET (a link scanner, a preview) never unsubscribes


@pytest.mark.django_db
def test_the_confirmation_page_is_right_to_left_for_an_arabic_reader() -> None:
    contact = make_contact("layla@example.com", languages=("ar",))
    page = Client().post(_path(contact)).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "أُلغي اشتراكك" in page


@pytest.mark.django_db
def test_a_bad_token_gets_400_with_a_clear_message_never_500() -> None:
    contact = make_contact("tom@example.com")
    forged = tokens.contact_token(contact.pk).replace(f"{contact.pk}.", f"{contact.pk + 1}.", 1)
    client = Client(raise_request_exception=False)
    for token in (forged, "nonsense", "1.2.3", "%00", "x" * 300, tokens.contact_token(999_999)):
        for method in (client.get, client.post):
            response = method(f"/u/{token}/")
            assert response.status_code == 400, (token, method)
            assert "This link is not valid." in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == "active"


@pytest.mark.django_db
def test_a_link_sent_before_the_secret_key_was_rotated_still_unsubscribes_and_one_from_a_dropped_key_does_not(
) -> None:
    contact = make_contact("tom@example.com")
    with override_settings(SECRET_KEY="the key of last year " * 3):
        sent_last_year = tokens.contact_token(contact.pk)
    with override_settings(SECRET_KEY="the key of this year " * 3, SECRET_KEY_FALLBACKS=["the key of last year " * 3]):
        assert tokens.contact_token(contact.pk) != sent_last_year
        assert tokens.contact_id_from_token(sent_last_year) == contact.pk
    with override_settings(SECRET_KEY="the key of this year " * 3, SECRET_KEY_FALLBACKS=[]):
        assert tokens.contact_id_from_token(sent_last_year) is None


@pytest.mark.django_db
def test_unsubscribing_suppresses_the_contacts_pending_deliveries(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    contact = make_contact("tom@example.com")
    pending = make_delivery(release, contact, "en")
    Client().post(_path(contact), ONE_CLICK, content_type="application/x-www-form-urlencoded")
    pending.refresh_from_db()
    assert (pending.state, pending.last_error) == ("suppressed", "suppressed: unsubscribed")


@pytest.mark.django_db
def test_the_link_in_a_message_is_one_the_view_accepts(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", ["en"])
    contact = make_contact("tom@example.com", "Tom Becker")
    payload = RenderedItem.objects.get(release=release, format="email", language="en").payload
    template = MessageTemplate(release_id=release.id, version=release.version, language="en", payload=payload,
                               wire_name="Wireroom", mail_from="newsdesk@wireroom.example",
                               mail_domain="wireroom.example")
    built = template.build(Recipient(1, contact.pk, contact.name, contact.email), "Sat, 28 Nov 2026 10:00:00 +0000")
    url = str(built.header("List-Unsubscribe")).strip("<>")
    path = url.removeprefix("http://127.0.0.1:8000")
    # What a mailbox provider does for the one-click button: POST the URL, with no cookies and no CSRF token.
    response = _csrf_client().post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.status == "unsubscribed"


@pytest.mark.django_db
def test_preference_centre_shows_beats_and_languages_and_toggles_the_subscription() -> None:
    contact = make_contact("anna@example.de", "Anna Schmidt", languages=("en", "de"))
    contact.beats.add(Sector.objects.get(slug="top-story"))
    client = _csrf_client()
    page = client.get(_path(contact, "preferences")).content.decode()
    assert "You are subscribed: anna@example.de receives releases from Wireroom." in page
    assert Sector.objects.get(slug="top-story").labels["en"] in page
    assert 'name="action" value="unsubscribe"' in page

    response = _form_post(client, _path(contact, "preferences"), {"action": "unsubscribe"})
    assert response.status_code == 200
    assert 'name="action" value="resubscribe"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == "unsubscribed"

    response = _form_post(client, _path(contact, "preferences"), {"action": "resubscribe"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.status == "active" and contact.consent
    assert contact.consent_source == "preference centre"
    assert [entry.action for entry in _audit(contact)] == ["contact.unsubscribe", "contact.resubscribe"]


@pytest.mark.django_db
def test_preference_centre_refuses_an_unknown_action_or_token_with_400() -> None:
    contact = make_contact("tom@example.com")
    assert Client().post(_path(contact, "preferences"), {"action": "delete"}).status_code == 400
    assert Client().get("/preferences/forged.token/").status_code == 400
    contact.refresh_from_db()
    assert contact.status == "active"


def _chosen(contact: Contact) -> tuple[list[str], list[str], list[str], list[str]]:
    return (sorted(contact.beats.values_list("slug", flat=True)),
            list(ContactLanguage.objects.filter(contact=contact).order_by("rank").values_list("language_id",
                                                                                              flat=True)),
            sorted(contact.countries.values_list("code", flat=True)),
            list(Subscription.objects.filter(contact=contact, channel="email").values_list("cadence", flat=True)))


def _target(**axes: list[str]) -> Target:
    return Target(sectors=axes.get("sectors", []), countries=axes.get("countries", []),
                  languages=axes.get("languages", []), available=["en"], original="en", kind="press_release",
                  issuer_id=1)


@pytest.mark.django_db
def test_the_preference_centre_saves_beats_languages_countries_and_cadence_and_audits_them() -> None:
    contact = make_contact("anna@example.de", "Anna Schmidt", languages=("en", "de"))
    client = _csrf_client()
    response = _form_post(client, _path(contact, "preferences"), {
        "action": "save", "sectors": ["energy", "healthcare"], "languages": ["de", "fr"], "countries": ["DE", "AT"],
        "cadence": "daily"})
    assert response.status_code == 200
    assert "Ihre Auswahl ist gespeichert." in response.content.decode()  # German now comes first
    assert _chosen(contact) == (["energy", "healthcare"], ["de", "fr"], ["AT", "DE"], ["daily"])
    [entry] = _audit(contact)
    assert entry.action == "contact.preferences"
    assert (entry.from_state, entry.to_state, entry.data["via"]) == ("instant", "daily", "preference centre")
    assert entry.data["after"]["sectors"] == ["energy", "healthcare"]


@pytest.mark.django_db
def test_targeting_follows_the_cadence_and_beats_chosen_in_the_preference_centre() -> None:
    contact = make_contact("anna@example.de", "Anna Schmidt")
    path, client = _path(contact, "preferences"), _csrf_client()

    def targeted(**axes: list[str]) -> bool:
        return email_recipients(_target(**axes)).filter(pk=contact.pk).exists()

    _form_post(client, path, {"action": "save", "sectors": ["energy"], "languages": ["en"], "cadence": "instant"})
    assert targeted(sectors=["energy"]) and not targeted(sectors=["healthcare"])
    for cadence in ("paused", "weekly"):
        _form_post(client, path, {"action": "save", "sectors": ["energy"], "languages": ["en"], "cadence": cadence})
        assert not targeted(sectors=["energy"])  # left to the digest, or to nothing while paused
    _form_post(client, path, {"action": "save", "languages": ["en"], "cadence": "instant"})
    assert targeted(sectors=["healthcare"])  # no beat chosen: every sector


@pytest.mark.django_db
def test_a_region_chosen_in_the_preference_centre_reaches_releases_of_its_countries() -> None:
    contact = make_contact("ali@example.com", "Ali Hassan", languages=("ar",))
    path, client = _path(contact, "preferences"), _csrf_client()
    page = client.get(path).content.decode()
    assert "المناطق" in page and 'name="regions" value="gcc"' in page  # the legend in the contact's language

    def targeted(**axes: list[str]) -> bool:
        return email_recipients(_target(**axes)).filter(pk=contact.pk).exists()

    response = _form_post(client, path, {"action": "save", "languages": ["ar"], "regions": ["gcc"],
                                         "cadence": "instant"})
    assert response.status_code == 200
    assert 'name="regions" value="gcc" checked' in response.content.decode()
    assert sorted(contact.regions.values_list("slug", flat=True)) == ["gcc"]
    assert [entry.data["after"]["regions"] for entry in _audit(contact)] == [["gcc"]]
    assert targeted(countries=["SA"]) and targeted(countries=["FR", "QA"])  # in the Gulf
    assert not targeted(countries=["FR"])  # not in the region, and no country chosen besides
    _form_post(client, path, {"action": "save", "languages": ["ar"], "regions": ["gcc"], "countries": ["FR"],
                              "cadence": "instant"})
    assert targeted(countries=["FR"]) and targeted(countries=["OM"])  # a country besides the region
    _form_post(client, path, {"action": "save", "languages": ["ar"], "cadence": "instant"})
    assert targeted(countries=["BR"])  # neither countries nor regions: every country


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"sectors": ["no-such-sector"]}, {"countries": ["XX"]}, {"regions": ["atlantis"]},
                                 {"languages": ["xx-Nope"]}, {"languages": []}, {"cadence": "hourly"},
                                 {"time_zone": "Mars/Olympus_Mons"}])
def test_a_bad_choice_in_the_preference_centre_says_so_and_changes_nothing(bad: dict[str, Any]) -> None:
    contact = make_contact("anna@example.de", "Anna Schmidt", languages=("de",))
    contact.beats.add(Sector.objects.get(slug="energy"))
    before = _chosen(contact)
    response = _form_post(_csrf_client(), _path(contact, "preferences"), {
        "action": "save", "sectors": ["healthcare"], "languages": ["en"], "countries": ["FR"], "cadence": "daily",
        **bad})
    assert response.status_code == 422
    assert "nichts wurde geändert" in response.content.decode()  # said in the contact's language
    assert _chosen(contact) == before
    assert _audit(contact) == []


@pytest.mark.django_db
def test_a_contact_chooses_the_time_zone_their_digests_follow_named_in_their_language() -> None:
    contact = make_contact("ana@example.com.br", "Ana Souza", languages=("pt",))
    client = _csrf_client()
    page = client.get(_path(contact, "preferences")).content.decode()
    assert 'value="America/Sao_Paulo"' in page
    assert "São Paulo" in page
    response = _form_post(client, _path(contact, "preferences"), {
        "action": "save", "languages": ["pt"], "cadence": "daily", "time_zone": "America/Sao_Paulo"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.time_zone == "America/Sao_Paulo"
    assert 'value="America/Sao_Paulo" selected' in response.content.decode()
    [entry] = _audit(contact)
    assert entry.data["after"]["time_zone"] == "America/Sao_Paulo"


@pytest.mark.django_db
def test_the_preference_form_without_its_csrf_token_is_refused_and_changes_nothing() -> None:
    contact = make_contact("anna@example.de")
    response = _csrf_client().post(_path(contact, "preferences"), {"action": "save", "languages": ["fr"],
                                                                   "cadence": "paused"})
    assert response.status_code == 403
    assert _chosen(contact)[1:] == (["en"], [], [])


@pytest.mark.django_db
def test_a_tampered_token_changes_no_contact() -> None:
    contact = make_contact("anna@example.de")
    token = tokens.contact_token(contact.pk)
    client = _csrf_client()
    client.get(_path(contact, "preferences"))
    response = client.post(f"/preferences/{token[:-2]}xy/", {
        "action": "save", "languages": ["fr"], "cadence": "paused",
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 400
    assert _chosen(contact)[1:] == (["en"], [], [])


@pytest.mark.django_db
def test_the_preference_centre_speaks_arabic_right_to_left_with_sectors_and_countries_in_arabic() -> None:
    contact = make_contact("layla@example.com", "Layla", languages=("ar",))
    page = _csrf_client().get(_path(contact, "preferences")).content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert Sector.objects.get(slug="energy").labels["ar"] in page
    assert "مصر" in page  # Egypt, named in Arabic
    assert "ملخص أسبوعي" in page  # the weekly digest
