"""Items in any registered format, chosen by `Accept` or `?format=`; never a silent ninjs."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from lxml import etree

from tests.support.api import ApiClient
from tests.support.standards import document_errors
from wireroom.releases.models import Release


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "format_name", "content_type"), [
    (None, "ninjs", "application/ninjs+json; version=3.1"),
    ("*/*", "ninjs", "application/ninjs+json; version=3.1"),
    ("application/json", "ninjs", "application/ninjs+json; version=3.1"),
    ("application/ninjs+json", "ninjs", "application/ninjs+json; version=3.1"),
    ("application/ninjs+json; version=2.2", "ninjs-2.2", "application/ninjs+json; version=2.2"),
    ("application/vnd.iptc.g2.newsitem+xml", "newsml-g2", "application/vnd.iptc.g2.newsitem+xml"),
    ("application/nitf+xml", "nitf", "application/nitf+xml"),
    ("text/html, application/nitf+xml;q=0.9, */*;q=0.1", "nitf", "application/nitf+xml"),
])
def test_the_accept_header_chooses_the_format(api: Callable[[str | None], ApiClient],
                                              make_release: Callable[..., Release], accept: str | None,
                                              format_name: str, content_type: str) -> None:
    release = make_release("published")
    response = api("wire_editor").get_accepting(accept, f"/api/v1/releases/{release.id}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == content_type
    assert response["Vary"] == "Accept"
    assert document_errors(response.content, format_name) == []


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", ["ninjs", "ninjs-2.2", "newsml-g2", "nitf"])
def test_the_format_parameter_chooses_the_format_over_accept(api: Callable[[str | None], ApiClient],
                                                             make_release: Callable[..., Release],
                                                             format_name: str) -> None:
    release = make_release("corrected")
    other = "application/nitf+xml" if format_name != "nitf" else "application/json"
    response = api("wire_editor").get_accepting(other, f"/api/v1/releases/{release.id}", format=format_name)
    assert response.status_code == 200, response.content
    assert document_errors(response.content, format_name) == []
    assert response["X-Wireroom-State"] == "corrected"


@pytest.mark.django_db
def test_an_unknown_format_parameter_is_a_422_naming_the_known_ones(api: Callable[[str | None], ApiClient],
                                                                     make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    client = api("wire_editor")
    for path in (f"/api/v1/releases/{release.id}", "/api/v1/releases"):
        response = client.get(path, format="nitf-9")
        assert response.status_code == 422, response.content
        error = response.json()["error"]
        assert error["code"] == "invalid_input"
        assert "nitf-9" in error["message"]
        assert error["details"]["known"] == ["ninjs", "newsml-g2", "ninjs-2.2", "nitf"]


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["text/html", "application/xml", "application/ninjs+json; version=9"])
def test_an_accept_header_no_format_satisfies_is_a_406(api: Callable[[str | None], ApiClient],
                                                      make_release: Callable[..., Release], accept: str) -> None:
    release = make_release("published")
    response = api("wire_editor").get_accepting(accept, f"/api/v1/releases/{release.id}")
    assert response.status_code == 406, response.content
    error = response.json()["error"]
    assert error["code"] == "not_acceptable"
    assert "application/nitf+xml" in error["details"]["accept"]


@pytest.mark.django_db
def test_an_item_is_served_in_the_language_asked_for(api: Callable[[str | None], ApiClient],
                                                     make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    client = api("wire_editor")
    english = client.get(f"/api/v1/releases/{release.id}", format="nitf", language="en")
    assert english.status_code == 200
    document = etree.fromstring(english.content)
    assert document.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    ninjs = client.get(f"/api/v1/releases/{release.id}", language="en").json()
    assert ninjs["language"] == "en"
    assert [(a["language"], a["rel"], a["name"]) for a in ninjs["associations"]] == [("ar", "original", "original-ar")]
    missing = client.get(f"/api/v1/releases/{release.id}", format="nitf", language="ko")
    assert missing.status_code == 422
    assert missing.json()["error"]["details"] == {"languages": ["ar", "en"]}


@pytest.mark.django_db
def test_a_listed_xml_item_is_text_with_its_media_type(api: Callable[[str | None], ApiClient],
                                                       make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    page = api("wire_editor").get("/api/v1/releases", format="newsml-g2").json()
    [item] = page["items"]
    assert (item["format"], item["contentType"]) == ("newsml-g2", "application/vnd.iptc.g2.newsitem+xml")
    assert document_errors(item["value"].encode(), "newsml-g2") == []
    assert etree.fromstring(item["value"].encode()).get("guid") == f"{release.urn}:ar"
    as_22 = api("wire_editor").get("/api/v1/releases", format="ninjs-2.2").json()["items"]
    assert document_errors(json.dumps(as_22[0]).encode(), "ninjs-2.2") == []


@pytest.mark.django_db
def test_another_organizations_embargoed_release_is_not_found_in_any_format(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    release = make_release("scheduled")
    for format_name in ("ninjs", "newsml-g2", "nitf"):
        response = api("other_issuer_admin").get(f"/api/v1/releases/{release.id}", format=format_name)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_the_openapi_document_lists_every_item_media_type_and_the_406(
    api: Callable[[str | None], ApiClient],
) -> None:
    document = api(None).get("/api/v1/openapi.json").json()
    responses = document["paths"]["/api/v1/releases/{release_id}"]["get"]["responses"]
    assert {"application/ninjs+json", "application/vnd.iptc.g2.newsitem+xml", "application/nitf+xml"} <= set(
        responses["200"]["content"])
    assert "406" in responses
