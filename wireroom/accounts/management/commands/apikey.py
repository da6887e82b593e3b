from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wireroom.accounts.models import ApiKey, Membership
from wireroom.accounts.services import api_key_issue, api_key_revoke


class Command(BaseCommand):
    help = "Issue an API key for a user's membership of an organization (shown once), list keys, or revoke one."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="Issue a key; the secret is printed once and never stored.")
        issue.add_argument("--user", required=True, help="User name")
        issue.add_argument("--org", required=True, help="Organization slug")
        issue.add_argument("--name", required=True, help="What the key is for")
        sub.add_parser("list", help="List keys (prefixes only).")
        revoke = sub.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "issue":
            membership = Membership.objects.filter(user__username=options["user"],
                                                   organization__slug=options["org"]).first()
            if membership is None:
                raise CommandError(f"{options['user']} is not a member of {options['org']}.")
            issued = api_key_issue(membership=membership, name=options["name"])
            self.stdout.write(issued.secret)
        elif options["action"] == "list":
            for key in ApiKey.objects.select_related("membership__user", "membership__organization"):
                state = "revoked" if key.revoked_at else "live"
                self.stdout.write(f"{key.prefix}…  {key.membership.user.username}@{key.membership.organization.slug}"
                                  f"  {key.name}  {state}")
        else:
            found = ApiKey.objects.select_related("membership").filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"No key with prefix {options['prefix']}.")
            api_key_revoke(api_key=found, by=found.membership)
            self.stdout.write(f"revoked {found.prefix}…")
