from __future__ import annotations

from wireroom.mediadb.exports import outlets_export
from wireroom.mediadb.management.spreadsheets import ExportCommand


class Command(ExportCommand):
    help = "Write every outlet and terminal partner to a CSV or XLSX file in the columns import-outlets reads."
    exporter = staticmethod(outlets_export)
