"""schemathesis against the OpenAPI document, in-process through Django's WSGI app: no 5xx, nothing off-schema.

Bounded: a few dozen generated requests per operation, so the run stays near a minute. Half of the generated
release ids are swapped for a real release in the state the operation starts from, so the fuzz reaches past
the 404 into the validation and the lifecycle. There is no outlet in the database: the endpoint operations
answer 403 or 404 without resolving any URL, so the run makes no DNS lookup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wireroom.releases.models import Release

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES_PER_OPERATION = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Operations only the wire's editors may call get an editor's key; every other one an issuer admin's.
STAFF_ONLY = ("/review", "/approve", "/request-changes", "/correct", "/withdraw", "/outlets/")
# The state each release operation starts from; the rest (read, edit) take a draft.
START_STATE = {"/submit": "draft", "/review": "submitted", "/approve": "in_review",
               "/request-changes": "submitted", "/publish": "approved", "/unschedule": "scheduled",
               "/correct": "published", "/withdraw": "published"}


# Loaded from the document the app serves, through the app itself (no server, no network).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # Django closes the database connection when a request ends; in-process, that is the test's own connection
    # with its transaction. Django's test client keeps it open the same way.
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


LANGUAGES = ["en", "ar", "de", "ja", "zh-Hans"]


def _with_known_taxonomy(case: Any) -> None:
    """Valid bodies name random languages and sectors, refused long before the text reaches the services.

    In a valid (positive) body the taxonomy is set to known values, so the generated headlines, bodies,
    contacts and embargoes are what the request is judged on.
    """
    body = case.body
    if not _positive(case) or not isinstance(body, dict):
        return
    if isinstance(body.get("embargo_at"), str) and len(body["embargo_at"]) % 2 == 0:
        # Random dates are nearly all in the past; half of them become a second within the coming year.
        body["embargo_at"] = (timezone.now() + dt.timedelta(seconds=len(body["embargo_at"]) * 3600)).isoformat()
    if "original_language" in body or (case.operation.method.upper() == "POST" and "issuer" in body):
        body["original_language"] = "en"
    body.pop("issuer", None)
    for key, known in (("sectors", ["energy"]), ("countries", ["OM"]), ("regions", ["gcc"]),
                       ("languages", ["en", "ar"])):
        if body.get(key) is not None:
            body[key] = known
    localizations = body.get("localizations")
    if isinstance(localizations, list):
        for index, item in enumerate(localizations[: len(LANGUAGES)]):
            if isinstance(item, dict):
                item["language"] = LANGUAGES[index]
                if item.get("translated_from") is not None:
                    item["translated_from"] = "en"
        del localizations[len(LANGUAGES):]


def _positive(case: Any) -> bool:
    return case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE


def _start_state(path: str) -> str:
    if path.endswith("/localizations/{language}/review"):
        return "submitted"
    return next((state for suffix, state in START_STATE.items() if path.endswith(suffix)), "draft")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(
    case: Any, make_release: Callable[..., Release], api_key_for: Callable[[str], str], made: dict[str, Any],
) -> None:
    path = case.operation.path
    role = "wire_editor" if any(part in path for part in STAFF_ONLY) else "issuer_admin"
    generated = (case.path_parameters or {}).get("release_id")
    if generated is not None and (_positive(case) or len(str(generated)) % 2 == 0):
        case.path_parameters["release_id"] = str(_release_in(_start_state(path), make_release, made).id)
    _with_known_taxonomy(case)
    case.call_and_validate(headers={"Authorization": f"Bearer {_key(role, api_key_for, made)}"}, checks=CHECKS)


@pytest.fixture
def made() -> dict[str, Any]:
    """Keys and releases of one operation's test, kept across its examples (the database is rolled back after
    each test, not after each example); making them for every example would take most of the run."""
    return {}


def _key(role: str, api_key_for: Callable[[str], str], made: dict[str, Any]) -> str:
    if role not in made:
        made[role] = api_key_for(role)
    key: str = made[role]
    return key


def _release_in(state: str, make_release: Callable[..., Release], made: dict[str, Any]) -> Release:
    """A release in `state`; a new one once an earlier example moved it on."""
    release: Release | None = made.get(state)
    if release is None or not Release.objects.filter(pk=release.pk, state=state).exists():
        release = made[state] = make_release(state)
    return release
