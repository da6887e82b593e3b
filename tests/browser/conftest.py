"""The browser every page test drives: Debian's Chromium through Playwright (never a browser of Playwright's own)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    # Playwright's sync API keeps an event loop on this thread, which Django's guard takes for async code;
    # the ORM is never called from that loop, so these tests alone lift the guard.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests keep their screenshots (pytest keeps the last three runs' temporary folders)."""
    return tmp_path_factory.mktemp("screenshots", numbered=False)


@contextmanager
def _watched_page(browser: Browser, *, expected: str | None = None) -> Iterator[Page]:
    opened = browser.new_page(viewport={"width": 1100, "height": 1400}, locale="en-US")
    errors: list[str] = []
    opened.on("console", lambda message: errors.append(message.text)
              if message.type == "error" and (expected is None or expected not in message.text) else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    opened.close()
    assert errors == [], "no console errors (a CSP refusal would be one)"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page of its own for each test; the test fails if the browser's console shows an error."""
    with _watched_page(browser) as opened:
        yield opened


@pytest.fixture
def refusing_page(browser: Browser) -> Iterator[Page]:
    """Like `page`, for a test that sends a form the server refuses: Chromium reports every 4xx answer in the
    console, and the refused form's 422 is the answer such a test expects."""
    with _watched_page(browser, expected="the server responded with a status of 422") as opened:
        yield opened
