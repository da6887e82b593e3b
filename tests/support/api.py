"""A client for the HTTP API that sends a Bearer key with every request."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


class ApiClient:
    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def get_accepting(self, accept: str | None, path: str, **params: Any) -> Any:
        """A GET with this `Accept` header (None: none at all)."""
        headers = self.headers | ({"Accept": accept} if accept is not None else {})
        return self.client.get(path, params, headers=headers)

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(path, data, content_type="application/json", headers=self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, json.dumps(body), content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, json.dumps(body), content_type="application/json", headers=self.headers)
