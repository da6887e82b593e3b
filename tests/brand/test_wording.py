"""The brand and wording per language: stored, checked whole before anything is saved, audited, and read by the
one renderer, so an edited text shows in the page, the e-mail and ninjs of that language."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.support.renderings import store_renderings
from wireroom.accounts.models import Membership
from wireroom.anatomy.render import render_item
from wireroom.audit.models import AuditEntry
from wireroom.brand.models import Wording
from wireroom.brand.selectors import brand
from wireroom.brand.services import wording_save
from wireroom.brand.templates import TemplateProblem, check_template, fill
from wireroom.distribution.models import RenderedItem
from wireroom.formats.registry import get_format
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.releases.models import Release

ARABIC_DISCLAIMER = "نشرت {issuer} هذا البيان عبر {wire} ({wire_url}) وهي وحدها المسؤولة عن مضمونه."


def test_a_template_fills_its_placeholders_and_keeps_doubled_braces() -> None:
    assert fill("{wire} at {wire_url} {{as is}}", {"wire": "Gulf Wire", "wire_url": "https://gw.example"}) == (
        "Gulf Wire at https://gw.example {as is}")


@pytest.mark.parametrize(("template", "code"), [
    ("Issued by {issuer} through {wires}.", "unknown"),
    ("Issued by {issuer.name}.", "format"),
    ("Issued by {issuer!r}.", "format"),
    ("Issued by {issuer:>20}.", "format"),
    ("Issued by {}.", "format"),
    ("Issued by {0}.", "format"),
    ("Issued by {issuer.", "braces"),
    ("Issued by issuer}.", "braces"),
])
def test_a_template_with_an_unknown_or_unsafe_placeholder_is_refused(template: str, code: str) -> None:
    with pytest.raises(TemplateProblem) as problem:
        check_template("disclaimer_press_release", template)
    assert problem.value.code == code


@pytest.mark.django_db
def test_nothing_is_saved_when_one_field_is_wrong(actors: dict[str, Membership]) -> None:
    with pytest.raises(InvalidInput) as refused:
        wording_save(language="de", by=actors["wire_admin"].user, values={
            "wire_name": "Golfdienst", "disclaimer_press_release": "Von {issuer}.",
            "boilerplate": "{wire} erreicht {outlet} Medien.", "sector_labels": {"energy": "Energie"}})
    assert refused.value.details == {"boilerplate": "unknown placeholder {outlet}; this text may use {countries}, "
                                                    "{desktops}, {journalists}, {languages}, {outlets}, {wire}, "
                                                    "{wire_url}"}
    assert not Wording.objects.exists() and not AuditEntry.objects.exists()
    with pytest.raises(InvalidInput) as refused:
        wording_save(language="de", by=None, values={"sector_labels": {"no-such-sector": "X"},
                                                     "sender": "news@elsewhere.example"})
    assert set(refused.value.details) == {"sector_labels", "sender"}
    with pytest.raises(NotFound):
        wording_save(language="xx", by=None, values={})
    assert not Wording.objects.exists()


@pytest.mark.django_db
def test_a_saved_wording_is_audited_with_its_changes_and_read_at_once(actors: dict[str, Membership],
                                                                      settings: Any) -> None:
    assert brand(language="de").wire_name == settings.WIRE_NAME  # cached before the change
    wording_save(language="de", by=actors["wire_admin"].user,
                 values={"wire_name": "Golfdienst", "sender": f"presse@{settings.MAIL_DOMAIN}"})
    assert brand(language="de").wire_name == "Golfdienst"
    assert brand(language="de").sender == f"presse@{settings.MAIL_DOMAIN}"
    assert brand(language="fr").wire_name == settings.WIRE_NAME
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id) == ("brand.wording_save", actors["wire_admin"].user.pk, "de")
    assert entry.data["changes"]["wire_name"] == {"from": "", "to": "Golfdienst"}
    wording_save(language="de", by=actors["wire_admin"].user,
                 values={"wire_name": "Golfdienst", "sender": f"presse@{settings.MAIL_DOMAIN}"})
    assert AuditEntry.objects.count() == 1  # the same again changes nothing


@pytest.mark.django_db(transaction=True)
def test_the_edited_disclaimer_shows_in_the_page_the_email_and_ninjs_of_that_language(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    wording_save(language="ar", by=actors["wire_admin"].user, values={
        "wire_name": "وكالة الخليج", "wire_url": "https://gulfwire.example",
        "disclaimer_press_release": ARABIC_DISCLAIMER,
        "sectors_line": "مجالات الخبر: {sectors}", "sector_labels": {"energy": "طاقة ومرافق"},
        "boilerplate": "{wire} تبلغ {outlets} وسيلة إعلامية."})
    release = make_release("published", sectors=["energy"])
    expected = ("نشرت \u2068Nahr Energy\u2069 هذا البيان عبر وكالة الخليج (https://gulfwire.example) "
                "وهي وحدها المسؤولة عن مضمونه.")

    item = render_item(release, "ar")
    assert item.disclaimer == expected
    assert item.credit == "(وكالة الخليج) –"
    assert item.sectors_line == "مجالات الخبر: طاقة ومرافق"
    assert item.boilerplate == "وكالة الخليج تبلغ 0 وسيلة إعلامية."
    assert render_item(release, "en").disclaimer.startswith("This press release was issued by")  # English: default

    page = Client().get(f"/releases/{release.id}/ar/").content.decode()
    assert expected in page and "مجالات الخبر: طاقة ومرافق" in page

    store_renderings("email", release, release.version, "publish", ["ar"])
    payload = RenderedItem.objects.get(release=release, format="email", language="ar").payload
    assert expected in payload["html"] and expected in payload["text"]

    ninjs = json.loads(get_format("ninjs").render(release=release, version=None, language="ar", action=None))
    assert expected in json.dumps(ninjs, ensure_ascii=False)
