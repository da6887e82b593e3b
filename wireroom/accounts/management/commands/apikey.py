from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wireroom.accounts.models import ApiKey, Membership
from wireroom.accounts.services import api_key_issue, api_key_revoke, api_key_set_prepositioned
from wireroom.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Issue an API key for a user's membership of an organization (shown once), list keys, or revoke one."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="Issue a key; the secret is printed once and never stored.")
        issue.add_argument("--user", required=True, help="User name")
        issue.add_argument("--org", help="Organization slug; may be left out when the user belongs to one only")
        issue.add_argument("--name", required=True, help="What the key is for")
        sub.add_parser("list", help="List keys (prefixes only).")
        revoke = sub.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")
        sealed = sub.add_parser("prepositioned", help="Let a key's stream connections take encrypted "
                                "pre-positioning (on) or not (off); outlets', partners' and the wire's keys only.")
        sealed.add_argument("prefix")
        sealed.add_argument("state", choices=["on", "off"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "issue":
            membership = self._membership(options["user"], options["org"])
            issued = api_key_issue(membership=membership, name=options["name"])
            self.stdout.write(issued.secret)
        elif options["action"] == "list":
            for key in ApiKey.objects.select_related("membership__user", "membership__organization"):
                state = ("revoked" if key.revoked_at else "live") + (", prepositioned" if key.prepositioned else "")
                self.stdout.write(f"{key.prefix}…  {key.membership.user.username}@{key.membership.organization.slug}"
                                  f"  {key.name}  {state}")
        else:
            found = ApiKey.objects.select_related("membership__organization").filter(
                prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"No key with prefix {options['prefix']}.")
            if options["action"] == "revoke":
                api_key_revoke(api_key=found, by=found.membership)
                self.stdout.write(f"revoked {found.prefix}…")
                return
            try:
                api_key_set_prepositioned(api_key=found, prepositioned=options["state"] == "on")
            except InvalidInput as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(f"{found.prefix}… prepositioned {options['state']}")

    def _membership(self, username: str, slug: str | None) -> Membership:
        memberships = list(Membership.objects.select_related("organization").filter(user__username=username)
                           .order_by("organization__slug"))
        slugs = ", ".join(m.organization.slug for m in memberships)
        if slug is not None:
            for membership in memberships:
                if membership.organization.slug == slug:
                    return membership
            raise CommandError(f"{username} is not a member of {slug}"
                               + (f"; their organizations: {slugs}." if slugs else "."))
        if not memberships:
            raise CommandError(f"{username} is no member of any organization (or there is no such user).")
        if len(memberships) > 1:
            raise CommandError(f"{username} belongs to several organizations; name one with --org ({slugs}).")
        return memberships[0]
