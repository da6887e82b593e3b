from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Run the web server and the worker together in one process group; Ctrl-C stops both."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-worker", action="store_true", help="Run the web server only.")

    def _migrate(self) -> None:
        """Brings the database up to date before any child starts, so they never race to create it (the
        embedded SQLite database, on a fresh data folder). A shared PostgreSQL database is migrated once, by
        hand, before any machine starts the new version."""
        executor = MigrationExecutor(connection)
        if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return
        if connection.vendor != "sqlite":
            raise CommandError("The database has unapplied migrations: run `wireroom migrate` once, then serve.")
        self.stdout.write("Applying database migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        connection.close()

    def handle(self, *args: Any, **options: Any) -> None:
        self._migrate()
        # The pages link static files by fingerprinted names, which collectstatic writes with their manifest.
        call_command("collectstatic", interactive=False, verbosity=0)
        python = sys.executable
        commands = [[python, "-m", "uvicorn", "wireroom.asgi:application", "--host", settings.SERVER_HOST,
                     "--port", str(settings.SERVER_PORT), "--no-access-log", "--timeout-graceful-shutdown", "5",
                     *(["--proxy-headers", "--forwarded-allow-ips", "*"] if settings.BEHIND_PROXY else [])]]
        if not options["no_worker"]:
            # One embargo clock is enough; the other workers only deliver.
            metrics_port = settings.WORKER_METRICS_PORT
            commands += [[python, "-m", "wireroom", "worker", *(["--no-clock"] if n else []),
                          *(["--metrics-port", str(metrics_port + n)] if metrics_port else [])]
                         for n in range(settings.WORKERS)]
        base = f"http://{settings.SERVER_HOST}:{settings.SERVER_PORT}"
        self.stdout.write(f"Wireroom is starting at {base}/\n"
                          f"  newsroom  {base}/\n  console   {base}/admin/\n  API docs  {base}/api/v1/docs\n"
                          f"Press Ctrl-C to stop.")
        children = [subprocess.Popen(command, env=os.environ.copy()) for command in commands]
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, -signal.SIGTERM)]
        if failed and not stopping:
            raise SystemExit(1)
