"""The local outbox and the operator's console view of it (staff only)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

from wireroom.accounts.models import User
from wireroom.distribution.channels.email.message import MessageTemplate, OutgoingMessage, Recipient
from wireroom.distribution.channels.email.outbox import Outbox
from wireroom.distribution.channels.email.render import NAME, UNSUBSCRIBE_URL

PAYLOAD = {
    "subject": "Headline {n}",
    "html": f'<html><body><p>Dear {NAME}, number {{n}}</p><script>alert("x")</script>'
            f'<a href="{UNSUBSCRIBE_URL}">Unsubscribe</a></body></html>',
    "text": f"Dear {NAME}, number {{n}}\n",
    "language": "en",
}


def _message(n: int) -> OutgoingMessage:
    payload = {key: value.replace("{n}", str(n)) for key, value in PAYLOAD.items()}
    template = MessageTemplate(release_id=uuid.UUID(int=n), version=1, language="en", payload=payload,
                               wire_name="Gulf Wire", mail_from="newsdesk@gulfwire.example",
                               mail_domain="gulfwire.example")
    return template.build(Recipient(n, 100 + n, f"Reader {n}", f"reader{n}@example.com"),
                          "Sat, 28 Nov 2026 10:00:00 +0000")


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "outbox"
    with override_settings(OUTBOX_DIR=directory):
        yield directory


@pytest.fixture
def staff(db: object) -> Client:
    client = Client()
    client.force_login(User.objects.create(username="operator", is_staff=True))
    return client


def _write(directory: Path, *numbers: int) -> None:
    for age, n in enumerate(reversed(numbers)):
        Outbox(directory).write(_message(n))
        path = directory / f"delivery-{n}.eml"
        os.utime(path, (1_800_000_000 - age * 60, 1_800_000_000 - age * 60))


@pytest.mark.django_db
def test_the_outbox_console_is_for_staff_only(outbox: Path) -> None:
    _write(outbox, 1)
    for path in ("/console/outbox/", "/console/outbox/delivery-1.eml/", "/console/outbox/delivery-1.eml/raw",
                 "/console/outbox/delivery-1.eml/html"):
        response = Client().get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        reader = Client()
        reader.force_login(User.objects.create(username=f"reader-{len(path)}"))
        assert reader.get(path).status_code == 302


@pytest.mark.django_db
def test_the_outbox_lists_messages_newest_first_with_subject_recipient_and_date(outbox: Path,
                                                                                 staff: Client) -> None:
    _write(outbox, 3, 1, 2)  # 2 is the newest, then 1, then 3
    page = staff.get("/console/outbox/").content.decode()
    assert "3 messages, newest first" in page
    assert page.index("Headline 2") < page.index("Headline 1") < page.index("Headline 3")
    assert "Reader 2 &lt;reader2@example.com&gt;" in page
    assert '<a href="/console/outbox/delivery-2.eml/">Headline 2</a>' in page
    assert "2027-01-15 08:00:00" in page  # when it was written, UTC


@pytest.mark.django_db
def test_a_message_shows_its_html_in_a_sandboxed_iframe_and_its_text(outbox: Path, staff: Client) -> None:
    _write(outbox, 5)
    page = staff.get("/console/outbox/delivery-5.eml/").content.decode()
    assert ('<iframe title="HTML part of the message" class="outbox-preview" sandbox '
            'src="/console/outbox/delivery-5.eml/html">') in page
    assert "Dear Reader 5</p>" not in page  # the message's markup is never part of the console page
    assert '<pre class="outbox-text">Dear Reader 5, number 5' in page
    assert "List-Unsubscribe-Post" in page
    raw = staff.get("/console/outbox/delivery-5.eml/raw")
    assert raw["Content-Type"] == "message/rfc822"
    assert raw.content == (outbox / "delivery-5.eml").read_bytes()


@pytest.mark.django_db
def test_the_html_preview_runs_under_a_policy_of_its_own_that_allows_styles_and_nothing_else(
        outbox: Path, staff: Client) -> None:
    _write(outbox, 5)
    preview = staff.get("/console/outbox/delivery-5.eml/html")
    assert preview.status_code == 200
    assert "<p>Dear Reader 5" in preview.content.decode()
    policy = {name: value.strip() for name, _, value in
              (part.strip().partition(" ") for part in preview["Content-Security-Policy"].split(";"))}
    assert policy["default-src"] == "'none'"
    assert policy["style-src"] == "'unsafe-inline'"
    assert policy["frame-ancestors"] == "'self'"
    assert "sandbox" in policy and "script-src" not in policy
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    # Only the console's own frame may show it: not the public, not a signed-in reader without staff rights.
    assert Client().get("/console/outbox/delivery-5.eml/html").status_code == 302
    page = staff.get("/console/outbox/delivery-5.eml/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_console_reads_nothing_outside_the_outbox(outbox: Path, staff: Client, tmp_path: Path) -> None:
    (tmp_path / "secret.eml").write_text("Subject: secret\n\nsecret\n")
    _write(outbox, 1)
    for name in ("..%2Fsecret.eml", "secret.eml", "delivery-1.eml.bak", "delivery-9.eml"):
        assert staff.get(f"/console/outbox/{name}/").status_code == 404, name
    assert staff.get("/console/outbox/?page=abc").status_code == 200


@pytest.mark.django_db
def test_an_empty_or_missing_outbox_says_so(outbox: Path, staff: Client) -> None:
    page = staff.get("/console/outbox/").content.decode()
    assert "The outbox is empty." in page
