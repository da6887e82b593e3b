"""`wireroom verify FILE --signature JWS --jwks FILE|URL`: did the wire send exactly these bytes?
`wireroom verify FILE --jwks …` with `FILE.jws` beside it (an SFTP drop): the same, with the sidecar's signature.
`wireroom verify EVENT --stream --jwks …`: a stream event's data, which carries its own signature.
`wireroom verify DOCUMENT`: does an issuer's signature document (from the API) verify? Exit 0 yes, 1 no."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wireroom.lib.errors import InvalidInput
from wireroom.trust.verify import split_event, verify_issuer_document, verify_with_jwks


def load_jwks(source: str) -> dict[str, Any]:
    if source.startswith(("https://", "http://")):
        answer = requests.get(source, timeout=30)
        answer.raise_for_status()
        loaded: dict[str, Any] = answer.json()
        return loaded
    loaded = json.loads(Path(source).read_text())
    return loaded


class Command(BaseCommand):
    help = "Verify a file against the wire's signature and JWKS, or an issuer's signature document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The item or payload exactly as received, or a signature document")
        parser.add_argument("--signature", help="The Wire-Signature header's value (or @FILE holding it)")
        parser.add_argument("--jwks", help="The wire's JWKS: a file, or its URL (…/.well-known/jwks.json)")
        parser.add_argument("--stream", action="store_true",
                            help="FILE is a stream event's data (the text after `data: `), signature included")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        body = path.read_bytes()
        signature: str | None = options["signature"]
        sidecar = path.with_name(path.name + ".jws")
        try:
            if options["stream"]:
                body, signature = split_event(body.rstrip(b"\r\n"))
            elif signature is None and sidecar.exists():
                signature = "@" + str(sidecar)
            if signature is None:
                self.stdout.write("OK: " + verify_issuer_document(json.loads(body)))
                return
            if not options["jwks"]:
                raise CommandError("Checking the wire's signature needs --jwks (a file or the wire's jwks.json URL).")
            if signature.startswith("@"):
                signature = Path(signature[1:]).read_text().strip()
            kid = verify_with_jwks(body=body, signature=signature, jwks=load_jwks(options["jwks"]))
        except (InvalidInput, ValueError) as exc:
            raise CommandError(f"NOT VERIFIED: {getattr(exc, 'message', exc)}") from None
        self.stdout.write(f"OK: signed by the wire, key {kid}")
