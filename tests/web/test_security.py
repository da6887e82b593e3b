"""Security defaults on every answer: the content security policy, no inline code, the other security headers,
CSRF on every form, cookies out of scripts' reach, HTTPS-only settings when the wire is served over HTTPS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.support.email import make_contact
from wireroom.accounts.models import Membership, User
from wireroom.distribution.channels.email import tokens
from wireroom.releases.models import Release


def _policy(response: Any) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


PATHS = ["/", "/accounts/login/", "/api/v1/openapi.json", "/api/v1/docs", "/api/v1/releases",
         "/static/newsroom/newsroom.css", "/favicon.ico", "/no-such-page/", "/admin/login/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_every_answer_carries_the_content_security_policy_and_the_security_headers(path: str) -> None:
    response = Client().get(path)
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP here


def test_the_favicon_is_a_static_file_of_the_project() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"

    async def body() -> bytes:
        return b"".join([chunk async for chunk in response.streaming_content])  # type: ignore[attr-defined]

    assert async_to_sync(body)().startswith(b"\x00\x00\x01\x00")  # an icon file


DATA_BLOCKS = ("application/json", "application/ld+json")
# Links that name a page (its translations, its canonical address) and are never fetched by the browser.
NOT_FETCHED = ("alternate", "canonical")


class _Inline(HTMLParser):
    """Collects what a strict policy would block: inline scripts, style elements and attributes, event
    handler attributes, and assets fetched from another site."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # JSON and JSON-LD are data blocks: a browser never runs them, so a policy has nothing to block.
        if tag == "script" and not values.get("src") and values.get("type") not in DATA_BLOCKS:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
        asset = values.get("src") if tag in {"script", "img", "iframe"} else (
            values.get("href") if tag == "link" and values.get("rel") not in NOT_FETCHED else None)
        if asset and asset.startswith(("http:", "https:", "//")):
            self.found.append(f"{tag} from another site: {asset}")


def _inline_parts(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.found


@pytest.fixture
def pages(make_release: Callable[..., Release], actors: dict[str, Membership], tmp_path: Path) -> Iterator[
        list[tuple[Client, str]]]:
    release = make_release("published")
    draft = make_release("draft")
    contact = make_contact("ines@example.com", "Inès Moreau")
    anonymous = Client()
    issuer = Client()
    issuer.force_login(actors["issuer_admin"].user)
    staff = Client()
    staff.force_login(User.objects.create(username="operator", is_staff=True, is_superuser=True))
    editor = Client()
    editor.force_login(actors["wire_editor"].user)
    submitted = make_release("submitted")
    token = tokens.contact_token(contact.pk)
    with override_settings(OUTBOX_DIR=tmp_path / "outbox"):
        yield [
            (anonymous, "/"),
            (anonymous, f"/releases/{release.id}/en/"),
            (anonymous, "/accounts/login/"),
            (anonymous, "/api/v1/docs"),
            (anonymous, f"/u/{token}/"),
            (anonymous, f"/preferences/{token}/"),
            (anonymous, "/admin/login/"),
            (issuer, f"/releases/{draft.id}/en/"),
            (issuer, f"/workspace/releases/{release.id}/report/"),
            (editor, "/desk/"),
            (editor, f"/desk/releases/{submitted.id}/"),
            (editor, f"/desk/releases/{release.id}/"),
            (editor, f"/desk/releases/{release.id}/report/"),
            (staff, "/console/outbox/"),
            (staff, "/admin/"),
            (staff, "/admin/accounts/organization/"),
            (staff, "/admin/distribution/delivery/"),
        ]


@pytest.mark.django_db
def test_no_page_has_inline_scripts_or_styles_or_assets_from_elsewhere(pages: list[tuple[Client, str]]) -> None:
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _inline_parts(response.content.decode()) == [], path


def test_the_api_docs_load_swagger_ui_from_the_projects_static_files() -> None:
    page = Client().get("/api/v1/docs").content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in page
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


# Reached by a credential in the address or a header, or confirmed out of band, never by a browser's cookie: no
# CSRF token to check.
CSRF_EXEMPT = {
    "u/<str:token>/": "one-click unsubscribe (RFC 8058) from a mail client, by the signed token in the link",
    "hooks/email-events": "the mail provider's events, by the shared secret it sends",
    "websub/hub": "WebSub requests from subscribers' servers, with no cookie; nothing changes until the "
                  "callback has confirmed the intent",
}


def test_every_view_outside_the_api_checks_csrf_but_the_token_links() -> None:
    exempt = {route for route, view in _routes(get_resolver())
              if getattr(view, "csrf_exempt", False) and not route.startswith("api/v1/")}
    assert exempt == set(CSRF_EXEMPT)


@pytest.mark.django_db
def test_a_form_posted_without_its_csrf_token_is_refused(actors: dict[str, Membership]) -> None:
    user = actors["issuer_admin"].user
    user.set_password("a long demo password")
    user.save()
    client = Client(enforce_csrf_checks=True)
    credentials = {"username": user.username, "password": "a long demo password"}
    assert client.post("/accounts/login/", credentials).status_code == 403
    assert client.post("/admin/login/", credentials).status_code == 403
    client.force_login(user)
    assert client.post("/accounts/logout/").status_code == 403
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_the_session_cookie_is_out_of_reach_of_scripts(actors: dict[str, Membership]) -> None:
    user = actors["issuer_admin"].user
    user.set_password("a long demo password")
    user.save()
    response = Client().post("/accounts/login/", {"username": user.username, "password": "a long demo password"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["sessionid"]["samesite"] == "Lax"


_PROBE = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wireroom.settings")
import django
django.setup()
from django.conf import settings
from django.test import Client
answers = {}
for secure in (False, True):
    response = Client(HTTP_HOST="127.0.0.1").get("/static/newsroom/newsroom.css", secure=secure)
    answers["https" if secure else "http"] = response.get("Strict-Transport-Security")
print(json.dumps({"session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
                  "session_httponly": settings.SESSION_COOKIE_HTTPONLY, "hsts": answers}))
"""


def _probe(tmp_path: Path, base_url: str) -> dict[str, Any]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env |= {"WIREROOM_DATA_DIR": str(tmp_path), "WIREROOM_BASE_URL": base_url}
    result = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=60,
                            check=True)
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_served_over_https_the_cookies_are_secure_and_https_answers_carry_hsts(tmp_path: Path) -> None:
    assert _probe(tmp_path, "https://news.wire.example") == {
        "session_secure": True, "csrf_secure": True, "session_httponly": True,
        "hsts": {"http": None, "https": "max-age=31536000"},
    }


def test_served_over_plain_http_nothing_asks_for_https(tmp_path: Path) -> None:
    assert _probe(tmp_path, "http://127.0.0.1:8000") == {
        "session_secure": False, "csrf_secure": False, "session_httponly": True,
        "hsts": {"http": None, "https": None},
    }
