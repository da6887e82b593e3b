from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wireroom.distribution import ledger
from wireroom.distribution.selectors import delivery_counts, failed_deliveries
from wireroom.releases.models import Release


class Command(BaseCommand):
    help = "Show where a release's copies went (by version, channel and state), or replay its failed deliveries."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("release", help="Release id (uuid or urn:…:release:<uuid>)")
        parser.add_argument("--replay", action="store_true", help="Send the failed deliveries again.")
        parser.add_argument("--channel", help="Only this channel (email, webhook, …).")
        parser.add_argument("--failures", action="store_true", help="List failed deliveries with their errors.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            release_id = uuid.UUID(options["release"].rsplit(":", 1)[-1])
        except ValueError:
            raise CommandError(f"{options['release']!r} is not a release id.") from None
        if not Release.objects.filter(pk=release_id).exists():
            raise CommandError(f"No release {release_id}.")
        if options["replay"]:
            self.stdout.write(ledger.replay(release_id=release_id, channel=options["channel"]).summary())
            return
        counts = delivery_counts(release_id=release_id)
        if not counts:
            self.stdout.write("no deliveries")
        for (version, channel, state), n in sorted(counts.items()):
            if options["channel"] in (None, channel):
                self.stdout.write(f"v{version}  {channel:<8} {state:<10} {n:>8,}")
        if options["failures"]:
            for row in failed_deliveries(release_id=release_id):
                who = row.contact.email if row.contact else row.endpoint.url if row.endpoint else row.recipient_key
                self.stdout.write(f"  {row.channel} {who}: {row.last_error}")
