from __future__ import annotations

from wireroom.mediadb.exports import contacts_export
from wireroom.mediadb.management.spreadsheets import ExportCommand


class Command(ExportCommand):
    help = "Write every contact to a CSV or XLSX file in the columns import-contacts reads."
    exporter = staticmethod(contacts_export)
