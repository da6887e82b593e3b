"""Where the tests find the project's files and the vendored standards."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STANDARDS = ROOT / "tests" / "standards"
# The reference item lives beside the checkout (not in it: its text belongs to its publisher); tests that read
# it also hold without it.
SAMPLES = ROOT.parent / "shared" / "samples"
