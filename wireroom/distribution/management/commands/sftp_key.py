"""`wireroom sftp_key`: print the wire's public SSH key, made in the data folder on first use. Partners add it
to the `authorized_keys` of the account the wire drops files into (see docs/channels-sftp.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wireroom.lib import ssh


class Command(BaseCommand):
    help = "Print the wire's public SSH key for partners' SFTP servers (made on first use)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(ssh.wire_public_key())
