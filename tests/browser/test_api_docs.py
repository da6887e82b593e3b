"""The API docs page in a real browser, offline: Swagger UI loads everything from this server and shows the
archive's operations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_asks_nothing_of_any_other_server_and_lists_the_archive(browser: Browser,
                                                                          live_server: Any) -> None:
    asked: list[str] = []
    page = browser.new_page()
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector('.opblock-summary-path[data-path="/api/v1/releases/{release_id}/versions/{number}"]')
    page.wait_for_load_state("networkidle")
    elsewhere = [url for url in asked if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert elsewhere == []
    assert f"{live_server.url}/static/ninja/swagger-ui-bundle.js" in asked
    page.close()
