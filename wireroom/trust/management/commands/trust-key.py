"""`wireroom trust-key`: print the wire's public signing key (made on first use); `--rotate` replaces it and
keeps the old public key in the JWKS (docs/trust.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wireroom.trust import wirekeys


class Command(BaseCommand):
    help = "Print the wire's public signing key as a JWK; --rotate makes a new one and keeps the old public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rotate", action="store_true", help="Make a new key; the old one stays in the JWKS.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rotate"]:
            old, new = wirekeys.rotate()
            self.stderr.write(f"Rotated: {old} is retired (still published), {new} signs from now on.")
        self.stdout.write(json.dumps(wirekeys.current_key().jwk))
