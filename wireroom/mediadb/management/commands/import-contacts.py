from __future__ import annotations

from wireroom.mediadb.imports import contacts_import
from wireroom.mediadb.management.spreadsheets import ImportCommand


class Command(ImportCommand):
    help = "Import journalists and editors from a CSV or XLSX file; writes nothing unless every row is good."
    importer = staticmethod(contacts_import)
