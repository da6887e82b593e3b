"""The suppression list: adding and removing with a reason, each change audited, and imports keep it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.support.spreadsheets import contact, table
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.mediadb.imports import contacts_import
from wireroom.mediadb.models import Contact, ContactStatus
from wireroom.mediadb.suppression import suppression_add, suppression_list, suppression_remove

pytestmark = pytest.mark.django_db


def test_suppressing_an_unknown_address_keeps_it_suppressed_through_a_later_import() -> None:
    change = suppression_add(email="Noor@Example.com", reason="Asked by phone never to be mailed", by=None)
    assert change.changed and change.contact.status == ContactStatus.UNSUBSCRIBED and not change.contact.consent
    report = contacts_import(table=table([contact("noor@example.com", name="Noor Saleh")]), source="t")
    assert (report.created, report.suppressed) == (0, 1)
    assert Contact.objects.get().status == ContactStatus.UNSUBSCRIBED


def test_suppressing_an_active_contact_finds_it_whatever_the_case_and_audits_who_and_why(
        actors: dict[str, Membership]) -> None:
    mei = Contact.objects.create(name="Mei", email="Mei.Tan@bücher.de", consent=True)
    editor = actors["wire_editor"].user
    change = suppression_add(email="mei.tan@xn--bcher-kva.de", reason="Left journalism", by=editor)
    mei.refresh_from_db()
    assert change.contact == mei and mei.status == ContactStatus.UNSUBSCRIBED
    entry = AuditEntry.objects.get(action="suppression.add")
    assert (entry.actor, entry.target_id, entry.from_state, entry.to_state, entry.data["reason"]) == (
        editor, str(mei.pk), "active", "unsubscribed", "Left journalism")


def test_the_list_shows_suppressed_addresses_with_their_last_reason() -> None:
    Contact.objects.create(name="Active", email="active@example.com", consent=True)
    Contact.objects.create(name="Bounced", email="bounced@example.com", status=ContactStatus.BOUNCED)
    suppression_add(email="gone@example.com", reason="Outlet closed", by=None)
    listed = {c.email: c.reason for c in suppression_list()}  # type: ignore[attr-defined]
    assert listed == {"gone@example.com": "Outlet closed", "bounced@example.com": None}
    assert [c.email for c in suppression_list(search="gone")] == ["gone@example.com"]


def test_removing_a_suppression_reactivates_without_inventing_consent_and_is_audited() -> None:
    Contact.objects.create(name="Ravi", email="ravi@example.com", status=ContactStatus.BOUNCED, consent=False)
    change = suppression_remove(email="RAVI@example.com", reason="Mailbox fixed, confirmed by phone", by=None)
    assert change.changed
    ravi = Contact.objects.get()
    assert (ravi.status, ravi.consent) == (ContactStatus.ACTIVE, False)
    entry = AuditEntry.objects.get(action="suppression.remove")
    assert (entry.from_state, entry.to_state) == ("bounced", "active")


def test_a_change_needs_a_reason_and_a_real_address_and_a_no_op_is_not_audited() -> None:
    with pytest.raises(InvalidInput, match="reason"):
        suppression_add(email="a@example.com", reason="  ", by=None)
    with pytest.raises(InvalidInput):
        suppression_add(email="not an address", reason="spam trap", by=None)
    with pytest.raises(NotFound):
        suppression_remove(email="nobody@example.com", reason="test", by=None)
    suppression_add(email="a@example.com", reason="first", by=None)
    assert not suppression_add(email="a@example.com", reason="again", by=None).changed
    assert AuditEntry.objects.filter(action="suppression.add").count() == 1
    assert not Contact.objects.filter(email="not an address").exists()


def test_the_suppression_command_adds_lists_and_removes(actors: dict[str, Membership]) -> None:
    out = StringIO()
    call_command("suppression", "add", "omar@example.com", "--reason", "Complained by letter", "--by", "editor",
                 stdout=out)
    call_command("suppression", "list", stdout=out)
    assert "omar@example.com\tunsubscribed\t" in out.getvalue() and "Complained by letter" in out.getvalue()
    call_command("suppression", "remove", "omar@example.com", "--reason", "Withdrew the complaint", stdout=out)
    assert Contact.objects.get().status == ContactStatus.ACTIVE
    assert AuditEntry.objects.get(action="suppression.add").actor == actors["wire_editor"].user
    with pytest.raises(CommandError, match="reason"):
        call_command("suppression", "add", "x@example.com", "--reason", "", stdout=out)
