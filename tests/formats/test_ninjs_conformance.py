"""Every ninjs item the API emits validates against the official ninjs 3.1 schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.api import ApiClient
from tests.support.standards import ninjs_errors
from wireroom.releases.models import Localization, Release
from wireroom.taxonomy.models import Language


def _assert_valid(item: dict[str, Any]) -> None:
    errors = ninjs_errors(item, "3.1")
    assert not errors, "\n".join(errors)


def test_the_schema_really_rejects_a_bad_item() -> None:
    assert ninjs_errors({"uri": "urn:x", "pubStatus": "live", "unknownField": 1}, "3.1")


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "scheduled", "published", "corrected", "withdrawn"])
def test_items_in_every_state_validate(api: Callable[[str | None], ApiClient],
                                       make_release: Callable[..., Release], state: str) -> None:
    release = make_release(state, kind="third_party_article")
    for language in Language.objects.filter(first_class=True).exclude(code__in=["ar", "en"]):
        Localization.objects.create(release=release, language=language, headline=f"Headline {language.code}",
                                    body_html="<p>Body</p>", origin="machine", engine="apertium",
                                    translated_from_id="ar")
    item = api("wire_editor").get(f"/api/v1/releases/{release.id}").json()
    _assert_valid(item)
    assert len(item["associations"]) == 14


@pytest.mark.django_db
def test_listed_and_written_items_validate(api: Callable[[str | None], ApiClient],
                                           make_release: Callable[..., Release]) -> None:
    for state in ("draft", "published"):
        make_release(state)
    client = api("wire_editor")
    for item in client.get("/api/v1/releases").json()["items"]:
        _assert_valid(item)
    release = make_release("published")
    written = client.post(f"/api/v1/releases/{release.id}/correct", {"note": "Fixed."}).json()
    _assert_valid(written["item"])
