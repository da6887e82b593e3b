"""The OpenAPI document says what the code does, and stays as committed unless changed on purpose."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.api import ApiClient
from tests.support.paths import ROOT
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db

SNAPSHOT = ROOT / "tests" / "api" / "openapi.snapshot.json"
REGENERATE = ".venv/bin/python scripts/openapi_snapshot.py"


@pytest.fixture
def document(api: Callable[[str | None], ApiClient]) -> dict[str, Any]:
    response = api(None).get("/api/v1/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _body_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    reference = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema: dict[str, Any] = document["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    return schema


def _text(document: Any) -> list[str]:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def test_the_committed_openapi_snapshot_is_the_document_the_api_serves(document: dict[str, Any]) -> None:
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if committed != document:
        diff = "\n".join(list(difflib.unified_diff(_text(committed), _text(document), "committed", "served",
                                                   lineterm=""))[:80])
        pytest.fail(f"The OpenAPI document changed. If the change is meant, regenerate the snapshot with "
                    f"`{REGENERATE}`, review it and commit it.\n{diff}")


def test_withdraw_is_documented_with_the_reason_it_requires(document: dict[str, Any]) -> None:
    schema = _body_schema(document, "/api/v1/releases/{release_id}/withdraw")
    assert schema["required"] == ["reason"]
    assert (schema["properties"]["reason"]["minLength"], schema["properties"]["reason"]["maxLength"]) == (1, 5000)


def test_deactivating_an_endpoint_is_documented_with_its_own_optional_reason(document: dict[str, Any]) -> None:
    schema = _body_schema(document, "/api/v1/outlets/{outlet_id}/endpoints/{endpoint_id}/deactivate")
    assert "required" not in schema
    assert schema["properties"]["reason"]["maxLength"] == 200


def test_every_component_schema_name_is_used_by_one_model_only(document: dict[str, Any]) -> None:
    # Two models with one class name share one component: the later silently documents the earlier's operations.
    from wireroom.api.urls import api

    names: dict[str, set[str]] = {}
    for router_prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        annotation = field.annotation
                        if isinstance(annotation, type) and hasattr(annotation, "model_json_schema"):
                            names.setdefault(annotation.__name__, set()).add(
                                f"{annotation.__module__}.{annotation.__qualname__}")
        del router_prefix
    shared = {name: sorted(models) for name, models in names.items() if len(models) > 1}
    assert shared == {}


def test_the_page_size_is_documented_with_its_bounds(document: dict[str, Any]) -> None:
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/releases"]["get"]["parameters"]}
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"], parameters["limit"]["default"]) == (
        1, 100, 20)


@pytest.mark.parametrize("limit", [0, 101])
def test_a_page_size_out_of_bounds_is_refused(api: Callable[[str | None], ApiClient], limit: int) -> None:
    response = api("issuer_admin").get("/api/v1/releases", limit=limit)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert "limit" in response.json()["error"]["message"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("delete", "/api/v1/releases/{id}", ["GET", "PATCH"]),
    ("put", "/api/v1/releases", ["GET", "POST"]),
    ("get", "/api/v1/releases/{id}/publish", ["POST"]),
])
def test_a_method_a_path_does_not_take_is_a_405_in_the_error_shape(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release], method: str, path: str,
    allowed: list[str],
) -> None:
    release = make_release("draft")
    client = api("issuer_admin")
    response = getattr(client.client, method)(path.format(id=release.id), headers=client.headers)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response.json()["error"]["details"] == {"allowed": allowed}
    assert response["Allow"] == ", ".join(allowed)


@pytest.mark.parametrize("path", ["/api/v1/releases/", "/api/v1/nothing-here", "/api/v2/releases",
                                  "/api/v1/releases/a/b/c/d"])
def test_a_path_under_the_api_that_names_no_endpoint_is_a_404_in_the_error_shape(
    api: Callable[[str | None], ApiClient], path: str,
) -> None:
    response = api("issuer_admin").get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_localizations_texts_are_documented_with_the_bounds_the_services_apply(document: dict[str, Any]) -> None:
    fields = document["components"]["schemas"]["LocalizationIn"]["properties"]
    bounds = {name: (fields[name].get("minLength"), fields[name].get("maxLength"))
              for name in ("headline", "summary", "body_html")}
    assert bounds == {"headline": (1, 300), "summary": (None, 2000), "body_html": (1, 200_000)}
