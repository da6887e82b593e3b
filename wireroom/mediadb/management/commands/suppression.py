from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wireroom.accounts.models import User
from wireroom.lib.errors import WireroomError
from wireroom.mediadb.suppression import suppression_add, suppression_list, suppression_remove


class Command(BaseCommand):
    help = "List the suppressed addresses, or add or remove one with a reason (every change is audited)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Suppressed addresses, most recent first")
        listing.add_argument("--search", default="", help="Only addresses containing this")
        listing.add_argument("--limit", type=int, default=100, help="At most this many (default 100; 0: all)")
        for action, text in (("add", "Stop all mail to an address"), ("remove", "Allow mail to an address again")):
            change = sub.add_parser(action, help=text)
            change.add_argument("email")
            change.add_argument("--reason", required=True, help="Why; kept in the audit log")
            change.add_argument("--by", metavar="USERNAME", help="The user the audit log names")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            contacts = suppression_list(search=options["search"])
            if options["limit"] > 0:
                contacts = contacts[: options["limit"]]
            for contact in contacts:
                when = f"{contact.status_changed_at:%Y-%m-%d %H:%M}" if contact.status_changed_at else "-"
                reason = getattr(contact, "reason", None) or ""
                self.stdout.write(f"{contact.email}\t{contact.status}\t{when}\t{reason}")
            return
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user {options['by']!r}.")
        service = suppression_add if options["action"] == "add" else suppression_remove
        try:
            change = service(email=options["email"], reason=options["reason"], by=by)
        except WireroomError as exc:
            raise CommandError(exc.message) from None
        if not change.changed:
            state = "already suppressed" if options["action"] == "add" else "not suppressed"
            self.stdout.write(f"{change.contact.email}: {state}; nothing changed")
        else:
            self.stdout.write(f"{change.contact.email}: {change.contact.status}")
