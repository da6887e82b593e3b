"""`wireroom verify-receipts FILE --jwks FILE|URL`: are a release's receipts in the log a signed tree head signs?
`wireroom verify-receipts --consistency FILE --jwks …`: does one signed log extend another? Exit 0 yes, 1 no."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wireroom.lib.errors import InvalidInput
from wireroom.trust.management.commands.verify import load_jwks
from wireroom.trust.verify import verify_consistency_document, verify_receipts


class Command(BaseCommand):
    help = "Verify a receipts file, or a consistency proof between two tree heads, offline against the JWKS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="GET /api/v1/releases/{id}/receipts, or with --consistency "
                                         "GET /api/v1/receipts/consistency, saved as received")
        parser.add_argument("--jwks", required=True,
                            help="The wire's JWKS: a file, or its URL (…/.well-known/jwks.json)")
        parser.add_argument("--consistency", action="store_true", help="The file is a consistency proof")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = json.loads(Path(options["file"]).read_bytes())
            check = verify_consistency_document if options["consistency"] else verify_receipts
            proven = check(document, jwks=load_jwks(options["jwks"]))
        except (InvalidInput, ValueError) as exc:
            raise CommandError(f"NOT VERIFIED: {getattr(exc, 'message', exc)}") from None
        self.stdout.write(f"OK: {proven}")
