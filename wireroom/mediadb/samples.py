"""Generated contact files for the import benchmark and tests: plausible rows, and bad ones where asked."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

from wireroom.mediadb.imports import CONTACT_COLUMNS

_LANGUAGES = ("en", "ar", "de", "fr", "es", "pt", "ja", "ko", "zh-Hans", "zh-Hant", "vi", "th", "id", "ms", "ru")
_COUNTRIES = ("AE", "SA", "DE", "FR", "US", "GB", "JP", "KR", "BR", "MX", "ID", "MY", "TH", "VN", "EG")
_BEATS = ("technology", "energy", "Banking & Finance", "Gesundheit", "人工智能", "telecommunications")
# One of each problem the import must catch, in turn.
_FLAWS = ("email", "country", "languages", "beats", "consent_basis", "duplicate")
_FLAW_COLUMN = {"duplicate": "email"} | {flaw: flaw for flaw in _FLAWS if flaw != "duplicate"}
_FLAW_VALUE = {
    "email": "reporter.{n:06d}.example.com",
    "country": "XZ",
    "languages": "en;tlh",
    "beats": "technology;astrology",
    "consent_basis": "",
    # Row 2's address in other letters: the same address.
    "duplicate": "Reporter.000001@NEWSDESK-1.example.COM",
}


@dataclass(frozen=True)
class SampleFile:
    data: bytes
    bad_rows: list[int]  # row numbers as the import reports them (the header is row 1)

    def clean(self) -> bytes:
        """The same file without its bad rows."""
        bad = set(self.bad_rows)
        lines = self.data.decode().splitlines(keepends=True)
        return "".join(line for number, line in enumerate(lines, start=1) if number not in bad).encode()


def sample_contacts(*, rows: int, bad_every: int = 0, seed: int = 7) -> SampleFile:
    """`rows` records; every `bad_every`-th one (0: none) has one flaw. Addresses are unique otherwise."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CONTACT_COLUMNS)
    bad_rows: list[int] = []
    for n in range(1, rows + 1):
        record = {
            "email": f"reporter.{n:06d}@newsdesk-{n % 97}.example.com",
            "name": f"Reporter {n}",
            "outlet": "",
            "role": "editor" if n % 10 == 0 else "journalist",
            "country": rng.choice(_COUNTRIES),
            "regions": "",
            "languages": ";".join(rng.sample(_LANGUAGES, rng.randint(1, 3))),
            "beats": ";".join(rng.sample(_BEATS, rng.randint(0, 2))),
            "consent_basis": rng.choice(("consent", "legitimate_interest")),
            "consent_at": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:30:00+00:00",
        }
        if bad_every and n % bad_every == 0 and n > 1:
            flaw = _FLAWS[(n // bad_every) % len(_FLAWS)]
            record[_FLAW_COLUMN[flaw]] = _FLAW_VALUE[flaw].format(n=n)
            bad_rows.append(n + 1)
        writer.writerow([record[column] for column in CONTACT_COLUMNS])
    return SampleFile(out.getvalue().encode(), bad_rows)
