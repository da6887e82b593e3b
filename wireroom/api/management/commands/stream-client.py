"""`wireroom stream-client URL --key KEY [--since N]`: the reference client of `/api/v1/stream`.

It prints each event as one line of JSON and, whenever the connection drops, reconnects with the id of the last
event it printed in `Last-Event-ID`, so it misses nothing and repeats nothing. A partner may run it as it is
(piping its output into their own system) or read it as an example: it is short on purpose.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import requests
import sseclient
from django.core.management.base import BaseCommand, CommandError

RECONNECT_SECONDS = 2.0  # until the server says otherwise (`retry:`)
READ_TIMEOUT_SECONDS = 60.0  # several heartbeats: a connection this quiet is dead


class Command(BaseCommand):
    help = ("Follow the wire's event stream (Server-Sent Events) with resume, printing each event as a line of "
            "JSON: {\"id\", \"event\", \"data\"}.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("url", help="The stream's URL with any filters, e.g. "
                                        "https://wire.example/api/v1/stream?sector=energy&format=ninjs")
        parser.add_argument("--key", required=True, help="An API key (wr_…)")
        parser.add_argument("--since", type=int, help="Start after this event id (default: from now)")
        parser.add_argument("--max-events", type=int, default=0, help="Stop after this many events (0: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        last_id = None if options["since"] is None else str(options["since"])
        wait = RECONNECT_SECONDS
        printed = 0
        while True:
            headers = {"Authorization": f"Bearer {options['key']}", "Accept": "text/event-stream"}
            if last_id is not None:
                headers["Last-Event-ID"] = last_id
            try:
                with requests.get(options["url"], headers=headers, stream=True,
                                  timeout=(10, READ_TIMEOUT_SECONDS)) as response:
                    if 400 <= response.status_code < 500 and response.status_code != 429:
                        raise CommandError(f"The stream refused us ({response.status_code}): {response.text}")
                    response.raise_for_status()
                    for event in sseclient.SSEClient(response.iter_content(chunk_size=None)).events():
                        if event.retry:
                            wait = event.retry / 1000
                        if event.id:
                            last_id = event.id
                        if not event.data:
                            continue
                        line = {"id": event.id, "event": event.event, "data": json.loads(event.data)}
                        self.stdout.write(json.dumps(line, ensure_ascii=False))
                        self.stdout.flush()
                        printed += 1
                        if options["max_events"] and printed >= options["max_events"]:
                            return
            except (requests.RequestException, OSError) as exc:
                print(f"stream-client: connection lost ({exc}); resuming after {last_id}", file=sys.stderr)
            time.sleep(wait)
