from __future__ import annotations

import asyncio
import logging
import signal
import threading
from contextlib import suppress
from typing import Any

import prometheus_client
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from wireroom.distribution import heartbeat
from wireroom.distribution.channels.email import digest
from wireroom.distribution.dispatcher import Dispatcher
from wireroom.lib.connections import refresh_connection
from wireroom.lib.heap import settle_after_startup
from wireroom.releases import embargo
from wireroom.translation import worker as translation_worker

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("Run a background worker: the embargo clock, which publishes scheduled releases on the second, "
            "the dispatcher, which delivers the ledger's due rows on every channel, the digests, which go out at "
            "each contact's morning, and the translator, which makes requested machine drafts. SIGTERM finishes "
            "the batches in flight and gives back the rest.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Publish what is due now, then exit.")
        parser.add_argument("--no-clock", action="store_true",
                            help="Deliver only; leave the embargo clock to another worker.")
        parser.add_argument("--metrics-port", type=int, default=None,
                            help="Serve Prometheus metrics on 127.0.0.1 at this port (default: "
                                 "WIREROOM_WORKER_METRICS_PORT; 0: off).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            count = embargo.publish_due()
            self.stdout.write(f"published {count} release(s)")
            return
        port = settings.WORKER_METRICS_PORT if options["metrics_port"] is None else options["metrics_port"]
        if port:
            # A thread of its own, so a scrape never waits on the event loop or the clock.
            prometheus_client.start_http_server(port, addr="127.0.0.1")
            self.stdout.write(f"worker: metrics at http://127.0.0.1:{port}/metrics")
        # Last before the loop: everything start-up loaded is frozen, nothing the loop and its threads make.
        settle_after_startup()
        asyncio.run(self._run(clock_on=not options["no_clock"]))
        self.stdout.write("worker: stopped")

    async def _run(self, *, clock_on: bool) -> None:
        stop = asyncio.Event()
        clock_stop = threading.Event()
        loop = asyncio.get_running_loop()
        def stop_all() -> None:
            stop.set()
            clock_stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop_all)
        if clock_on:
            threading.Thread(target=embargo.run, args=(clock_stop, settings.WORKER_POLL_SECONDS), name="embargo-clock",
                             daemon=True).start()
            self.stdout.write("worker: embargo clock running")
        threading.Thread(target=translation_worker.run, args=(clock_stop, settings.WORKER_POLL_SECONDS),
                         name="translation", daemon=True).start()
        threading.Thread(target=digest.run, args=(clock_stop, settings.WORKER_POLL_SECONDS), name="digests",
                         daemon=True).start()
        dispatcher = Dispatcher(batch_size=settings.WORKER_BATCH_SIZE, lease_seconds=settings.WORKER_LEASE_SECONDS,
                                poll_seconds=settings.WORKER_POLL_SECONDS,
                                machines_first_seconds=settings.WORKER_MACHINES_FIRST_SECONDS)
        self.stdout.write(f"worker {dispatcher.name}: delivering on {', '.join(dispatcher.channels) or 'no channel'}")
        self.stdout.flush()
        beating = asyncio.create_task(self._beat(dispatcher.name, clock_on, stop))
        try:
            await dispatcher.run(stop)
        finally:
            stop.set()
            await beating
            with suppress(DatabaseError):
                await sync_to_async(heartbeat.heartbeat_forget)(worker=dispatcher.name)

    async def _beat(self, worker: str, clock_on: bool, stop: asyncio.Event) -> None:
        """Written from the event loop, so a worker whose loop is stuck stops beating too."""
        def beat() -> None:
            refresh_connection()
            heartbeat.heartbeat_record(worker=worker, clock=clock_on)

        while not stop.is_set():
            try:
                await sync_to_async(beat)()
            except DatabaseError:
                # Readiness notices the missing beats; the worker itself carries on and tries again.
                log.warning("could not write the worker heartbeat", exc_info=True)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=settings.WORKER_HEARTBEAT_SECONDS)
