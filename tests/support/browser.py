"""Signing in from a browser test: through the form, as a person does, or with a session made beforehand."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page

from wireroom.accounts.models import User


def sign_in(page: Page, base: str, username: str, password: str, *, lands_on: str) -> None:
    """Fills in and sends the sign-in form, then waits for the page the role lands on (`/workspace/`…)."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")
    page.wait_for_url(f"{base}{lands_on}")


def signed_in_context(browser: Browser, base: str, user: User, **options: Any) -> BrowserContext:
    """A browser context holding `user`'s session (a real one, made by Django's test client), for tests whose
    subject starts after the sign-in. `options` go to `new_context` (viewport, locale, downloads…)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**{"viewport": {"width": 1200, "height": 1400}, "locale": "en-US", **options})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": base,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context


def console_errors(page: Page) -> list[str]:
    """The page's console errors and uncaught exceptions, collected from now on into the list returned."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
