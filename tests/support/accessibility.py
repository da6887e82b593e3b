"""axe-core (the copy `axe-playwright-python` ships) run in a page the browser tests opened."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = ("serious", "critical")


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations of impact serious or critical on the page as it is now: each rule's id, help text and
    the nodes it found (their selectors), so a failure says what to fix."""
    results = Axe().run(page)
    return [{"rule": violation["id"], "help": violation["help"],
             "nodes": [node["target"] for node in violation["nodes"]]}
            for violation in results.response["violations"] if violation.get("impact") in BLOCKING]
