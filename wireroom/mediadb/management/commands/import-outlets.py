from __future__ import annotations

from wireroom.mediadb.imports import outlets_import
from wireroom.mediadb.management.spreadsheets import ImportCommand


class Command(ImportCommand):
    help = "Import outlets and terminal partners from a CSV or XLSX file; writes nothing unless every row is good."
    importer = staticmethod(outlets_import)
