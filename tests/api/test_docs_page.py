"""The API docs page works offline: Swagger UI from the project's own static files, under the CSP."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_api_docs_page_names_no_address_outside_the_project_and_loads_every_asset() -> None:
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    text = page.content.decode()
    assert re.findall(r"(?:https?:)?//[\w.-]+", text) == []
    assets = re.findall(r'(?:src|href)="([^"]+)"', text)
    assert {"/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js",
            "/static/ninja/swagger-ui.css"} <= set(assets)
    for asset in assets:
        assert asset.startswith("/static/")
        assert Client().get(asset).status_code == 200, asset


def test_the_api_docs_page_sends_the_document_to_no_validator_and_runs_no_inline_script() -> None:
    page = Client().get("/api/v1/docs")
    text = page.content.decode()
    block = re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>', text, re.S)
    assert block is not None
    settings = json.loads(block.group(1))
    assert settings["validatorUrl"] is None
    assert settings["url"] == "/api/v1/openapi.json"
    # Every script is a file (the settings block is data, which the browser does not run).
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>", text) == []
    assert "script-src 'self'" in page["Content-Security-Policy"]
