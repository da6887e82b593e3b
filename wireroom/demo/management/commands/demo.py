from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wireroom.accounts.models import Organization, OrganizationKind
from wireroom.demo.accounts import DEMO_LOGINS, seed_accounts
from wireroom.demo.media import seed_media
from wireroom.demo.releases import seed_releases
from wireroom.mediadb.models import Outlet


class Command(BaseCommand):
    help = ("Load the demo: a media database of 6,500 outlets and 86,000 contacts in 90+ countries, "
            "terminal partners, issuers, a login for every role and a dozen sample releases.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Size of the media database relative to the full demo (default 1.0).")
        parser.add_argument("--seed", type=int, default=20261129, help="Random seed (same seed, same data).")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already has a wire organization.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["scale"] <= 4:
            raise CommandError("--scale must be greater than 0 and at most 4.")
        if options["if_empty"] and Organization.objects.filter(kind=OrganizationKind.WIRE).exists():
            self.stdout.write("demo: data already loaded, nothing to do")
            self._print_logins()
            return
        started = time.monotonic()
        with transaction.atomic():
            memberships = seed_accounts()
            if not Outlet.objects.exists():
                report = seed_media(scale=options["scale"], seed=options["seed"])
                self.stdout.write(
                    f"demo: {report.outlets:,} outlets, {report.contacts:,} contacts, "
                    f"{report.terminal_partners} terminal partners ({report.desktops:,} desktops), "
                    f"{report.countries} countries, {report.languages} languages"
                )
            releases = seed_releases(memberships)
        self.stdout.write(f"demo: {releases} sample releases; loaded in {time.monotonic() - started:.1f} s")
        self._print_logins()

    def _print_logins(self) -> None:
        wire = Organization.objects.filter(kind=OrganizationKind.WIRE).first()
        slugs = {"wire": wire.slug if wire else "wire"}
        for login in DEMO_LOGINS:
            slug = slugs.get(login.organization, login.organization)
            self.stdout.write(f"demo login: {login.username} / {login.password} ({login.role.label}, "
                              f"organization {slug})")
        self.stdout.write("An API key for a demo login: wireroom apikey issue --user issuer-admin --name demo")
