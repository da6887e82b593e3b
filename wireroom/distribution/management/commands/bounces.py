"""`wireroom bounces`: read one bounce (RFC 3464 DSN) or complaint (RFC 5965 ARF) from standard input and act
on it. Meant for an MTA pipe transport, e.g. Postfix:

    wireroom-bounces unix - n n - - pipe
      flags=Rq user=wireroom argv=/srv/wireroom/.venv/bin/wireroom bounces --recipient ${original_recipient}

Exit status 0 when the message was handled or is not a report (so the MTA drops it), 75 (EX_TEMPFAIL) when it
could not be recorded now (so the MTA tries again later).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from wireroom.distribution.channels.email.bounces import apply_event, parse_report, summary

EX_TEMPFAIL = 75
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = "Read one bounce or complaint report from standard input; mark the contact and suppress its mail."
    stealth_options = ("stdin",)  # call_command(..., stdin=BytesIO(...)) in tests

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--recipient", default="",
                            help="The envelope recipient (the VERP address), e.g. Postfix's ${original_recipient}.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options.get("stdin") or sys.stdin
        raw = getattr(source, "buffer", source).read(MAX_MESSAGE_BYTES)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        event = parse_report(raw, envelope_recipient=options["recipient"])
        applied = None
        if event is not None:
            try:
                applied = apply_event(event, source="dsn" if event.kind == "bounce" else "arf")
            except DatabaseError as exc:
                self.stderr.write(f"bounces: cannot record it now: {exc}")
                raise SystemExit(EX_TEMPFAIL) from None
        self.stdout.write(json.dumps(summary(event, applied)))
