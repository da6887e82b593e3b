from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from wireroom.distribution import clock


class Command(BaseCommand):
    help = "Run the background worker: the embargo clock that publishes scheduled releases on the second."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Publish what is due now, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            count = clock.publish_due()
            self.stdout.write(f"published {count} release(s)")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write("worker: embargo clock running")
        clock.run(stop, settings.WORKER_POLL_SECONDS)
        self.stdout.write("worker: stopped")
