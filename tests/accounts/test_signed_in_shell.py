"""The signed-in shell: each role lands on its own home, the layout says who is signed in and where, signing
out is a POST, the pages speak the user's language, and a forgotten password is reset by e-mail."""

from __future__ import annotations

import email
import email.policy
import re
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.test import Client

from tests.support.email import smtp_server
from tests.support.paths import ROOT
from wireroom.accounts.models import Membership, User

pytestmark = pytest.mark.django_db
PASSWORD = "a long demo password"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(user: User, **data: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD, **data})
    return client, response


@pytest.mark.parametrize(("role", "home"), [
    ("issuer_member", "/workspace/"),
    ("issuer_admin", "/workspace/"),
    ("wire_editor", "/desk/"),
    ("wire_admin", "/desk/"),
])
def test_each_role_lands_on_its_own_home_after_signing_in(actors: dict[str, Membership], role: str,
                                                          home: str) -> None:
    _client, response = _sign_in(_with_password(actors[role].user))
    assert response.status_code == 302
    assert response["Location"] == home


def test_an_operator_without_a_membership_lands_on_the_admin_and_anyone_else_on_the_home_page(db: Any) -> None:
    operator = _with_password(User.objects.create(username="ops", is_staff=True))
    assert _sign_in(operator)[1]["Location"] == "/admin/"
    reader = _with_password(User.objects.create(username="reader"))
    assert _sign_in(reader)[1]["Location"] == "/"


def test_a_sign_in_goes_where_it_was_asked_to_but_never_to_another_site(actors: dict[str, Membership]) -> None:
    user = _with_password(actors["issuer_member"].user)
    assert _sign_in(user, next="/workspace/?state=draft")[1]["Location"] == "/workspace/?state=draft"
    assert _sign_in(user, next="https://evil.example/")[1]["Location"] == "/workspace/"


def test_a_signed_in_page_sends_an_anonymous_visitor_to_sign_in(db: Any) -> None:
    response = Client().get("/workspace/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/workspace/"


def test_the_layout_names_the_user_their_organization_and_role_and_signs_out_by_post(
        actors: dict[str, Membership]) -> None:
    client = Client()
    client.force_login(actors["issuer_admin"].user)
    html = client.get("/workspace/").content.decode()
    assert "Signed in as <bdi>issueradmin</bdi>" in html
    assert "<bdi>Nahr Energy</bdi> · Issuer admin" in html
    assert '<a href="/workspace/" aria-current="page">Releases</a>' in html
    assert 'href="/workspace/organization/"' in html, "an issuer admin manages the organization"
    assert 'href="/desk/"' not in html
    assert re.search(r'<form method="post" action="/accounts/logout/" class="sign-out">', html)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/workspace/").status_code == 302, "signed out"


def test_an_issuer_member_sees_no_organization_settings_and_an_editor_sees_the_desk(
        actors: dict[str, Membership]) -> None:
    client = Client()
    client.force_login(actors["issuer_member"].user)
    html = client.get("/workspace/").content.decode()
    assert 'href="/workspace/organization/"' not in html
    editor = Client()
    editor.force_login(actors["wire_admin"].user)
    html = editor.get("/accounts/password/reset/").content.decode()
    assert 'href="/desk/"' in html and 'href="/workspace/"' not in html
    assert "<bdi>Wireroom</bdi> · Wire admin" in html


def test_the_workspace_refuses_the_wires_editors(actors: dict[str, Membership]) -> None:
    client = Client()
    client.force_login(actors["wire_editor"].user)
    assert client.get("/workspace/").status_code == 403


def test_the_pages_follow_accept_language_until_the_user_chooses_a_language(
        actors: dict[str, Membership]) -> None:
    user = actors["issuer_member"].user
    client = Client()
    client.force_login(user)
    response = client.get("/workspace/", headers={"accept-language": "ja"})
    assert '<html lang="ja" dir="ltr">' in response.content.decode()
    assert response["Content-Language"] == "ja"
    assert "Accept-Language" in response["Vary"]
    response = client.post("/accounts/language/", {"language": "ar", "next": "/workspace/"})
    assert response["Location"] == "/workspace/"
    user.refresh_from_db()
    assert user.language == "ar"
    html = client.get("/workspace/", headers={"accept-language": "ja"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل الخروج" in html, "Sign out, in Arabic"


def test_choosing_a_language_refuses_an_unknown_one_and_a_foreign_return_address(
        actors: dict[str, Membership]) -> None:
    user = actors["issuer_member"].user
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    user.refresh_from_db()
    assert user.language == ""
    assert client.get("/accounts/language/").status_code == 405


def test_a_visitor_choosing_a_language_gets_the_sign_in_page_in_it(db: Any) -> None:
    client = Client()
    client.post("/accounts/language/", {"language": "zh-hant", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-Hant" dir="ltr">' in html
    assert "登入" in html


def test_the_layout_loads_htmx_from_the_sites_own_static_files_and_nothing_inline(
        actors: dict[str, Membership]) -> None:
    client = Client()
    client.force_login(actors["issuer_member"].user)
    html = client.get("/workspace/").content.decode()
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    assert "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert re.search(r"\sstyle=", html) is None
    script = client.get("/static/vendor/htmx/htmx.min.js")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("text/javascript")


def test_a_forgotten_password_is_reset_through_a_link_sent_by_the_wires_mail_server(
        actors: dict[str, Membership], settings: Any) -> None:
    user = _with_password(actors["issuer_member"].user)
    user.language = "fr"
    user.save()
    with smtp_server() as (url, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(url.split(":")[2].split("?")[0])
        settings.EMAIL_USE_TLS = False
        client = Client()
        response = client.post("/accounts/password/reset/", {"email": "MEMBER@example.com"})
        assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
        assert unknown["Location"] == "/accounts/password/reset/sent/", "no hint of which addresses exist"
    assert len(handler.envelopes) == 1
    envelope = handler.envelopes[0]
    assert envelope.rcpt_tos == ["member@example.com"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "mot de passe" in str(message["Subject"]), "in the user's own language"
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", body)
    assert link is not None, body
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    short = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200 and 'class="field-error"' in short.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD), "nothing changed"
    done = client.post(form_url, {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"})
    assert done["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")
    assert client.get(link.group(1)).status_code == 200
    assert "has been used or has expired" in client.get(link.group(1), follow=True).content.decode()


def test_the_signed_in_style_sheets_use_logical_properties_only() -> None:
    sheets = [*(ROOT / "wireroom").glob("*/static/*/*.css")]
    sheets = [sheet for sheet in sheets if "vendor" not in sheet.parts and "newsroom" not in sheet.parts]
    assert any(sheet.name == "layout.css" for sheet in sheets)
    for sheet in sheets:
        css = sheet.read_text()
        assert not re.findall(r"\b(left|right|top|bottom)\b", css), sheet
        assert not re.findall(r"(?<![-\w])(width|height|max-width|min-width|max-height|min-height)\s*:", css), sheet


def test_every_catalog_but_the_english_one_translates_every_message() -> None:
    for catalog_path in (ROOT / "wireroom" / "locale").glob("*/LC_MESSAGES/django.po"):
        if catalog_path.parent.parent.name == "en":
            continue
        catalog = read_po(catalog_path.open("rb"))
        for message in catalog:
            if message.id:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                assert all(strings), (catalog_path.parent.parent.name, message.id)
