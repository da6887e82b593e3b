"""The archive API: filters, the cursor over a filtered archive, unknown parameters, version history,
conditional requests, read-only keys of outlets and partners, and anonymous reads where the operator allows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from django.utils.http import http_date

from tests.support.api import ApiClient
from tests.support.factories import member
from wireroom.accounts.models import Membership, Organization, OrganizationKind, Role
from wireroom.accounts.services import api_key_issue
from wireroom.releases import services
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.UTC)
MIDYEAR = "2026-06-01T00:00:00Z"


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["uri"].rsplit(":", 1)[1] for item in response.json()["items"]]


def _backdate(release: Release, moment: dt.datetime) -> None:
    # As the demo's archive is: published and last changed long ago.
    Release.objects.filter(pk=release.pk).update(published_at=moment, updated_at=moment)
    release.localizations.update(updated_at=moment)


def _english(headline: str) -> list[services.LocalizationInput]:
    return [services.LocalizationInput(language="en", headline=headline, body_html=f"<p>{headline}.</p>")]


def _published_by_other(actors: dict[str, Membership]) -> Release:
    author, editor = actors["other_issuer_admin"], actors["wire_editor"]
    release = services.release_create(by=author, data=services.ReleaseInput(
        kind="media_advisory", original_language="en", sectors=["technology"], countries=["DE"],
        regions=["dach"], languages=["en"], localizations=_english("Lotus Fintech invites the press"))).release
    services.release_submit(release=release, by=author)
    services.release_approve(release=release, by=editor)
    services.release_publish(release=release, by=author)
    return release


def _reader_key(kind: OrganizationKind, name: str) -> str:
    """A key of a member of an outlet or a partner: an organization that issues nothing."""
    org = Organization.objects.create(name=name, slug=name.lower().replace(" ", "-"), kind=kind)
    return api_key_issue(membership=member(org, name.lower().replace(" ", ""), Role.ISSUER_MEMBER),
                         name="archive reader").secret


@pytest.fixture
def archive(make_release: Callable[..., Release], actors: dict[str, Membership]) -> dict[str, Release]:
    """Two public releases that differ on every filter, and ones nobody outside the issuer may read."""
    old = make_release("published", sectors=["energy"], regions=["mena", "gcc"])
    _backdate(old, LONG_AGO)
    return {
        "old": old,
        "other": _published_by_other(actors),
        "draft": make_release("draft"),
        "scheduled": make_release("scheduled"),
        "withdrawn": make_release("withdrawn"),
    }


@pytest.mark.parametrize(("params", "expected"), [
    ({"sector": "energy"}, ["old"]),
    ({"sector": "technology"}, ["other"]),
    ({"language": "ar"}, ["old"]),
    ({"language": "en"}, ["other", "old"]),
    ({"country": "AE"}, ["old"]),
    ({"country": "de"}, ["other"]),
    ({"region": "gcc"}, ["old"]),
    ({"region": "dach"}, ["other"]),
    ({"issuer": "nahr-energy"}, ["old"]),
    ({"issuer": "lotus-fintech"}, ["other"]),
    ({"kind": "press_release"}, ["old"]),
    ({"kind": "media_advisory"}, ["other"]),
    ({"since": MIDYEAR}, ["other"]),
    ({"until": MIDYEAR}, ["old"]),
    ({"updated_since": MIDYEAR}, ["other"]),
    ({"since": "2026-01-10T09:30:00Z", "until": "2026-01-10T09:30:01Z"}, ["old"]),
    ({"language": "en", "sector": "energy"}, ["old"]),
    ({"sector": "energy", "kind": "media_advisory"}, []),
    ({"sector": "food-beverage"}, []),
])
def test_each_filter_narrows_the_public_archive(api: Callable[[str | None], ApiClient],
                                                archive: dict[str, Release], params: dict[str, str],
                                                expected: list[str]) -> None:
    reader = ApiClient(_reader_key(OrganizationKind.MEDIA_OUTLET, "Gulf Daily"))
    assert _ids(reader.get("/api/v1/releases", **params)) == [str(archive[name].id) for name in expected]


@pytest.mark.parametrize(("params", "where"), [
    ({"sector": "basket-weaving"}, "sector"),
    ({"language": "tlh"}, "language"),
    ({"country": "XX"}, "country"),
    ({"region": "atlantis"}, "region"),
    ({"issuer": "nobody-at-all"}, "issuer"),
    ({"kind": "rumour"}, "kind"),
    ({"since": "yesterday"}, "since"),
    ({"until": "2026-06-01T00:00:00"}, "until"),
    ({"updated_since": "2026-13-01T00:00:00Z"}, "updated_since"),
])
def test_a_filter_value_the_wire_does_not_know_is_a_422_naming_it(api: Callable[[str | None], ApiClient],
                                                                   params: dict[str, str], where: str) -> None:
    response = api("issuer_member").get("/api/v1/releases", **params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert where in error["message"]


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/releases?langauge=ar&sector=energy"),
    ("get", "/api/v1/releases/{id}?langauge=ar"),
    ("get", "/api/v1/releases/{id}/versions?page=2"),
    ("get", "/api/v1/releases/{id}/versions/1?langauge=ar"),
    ("post", "/api/v1/releases/{id}/withdraw?langauge=ar"),
    ("get", "/api/v1/sectors?langauge=ar"),
])
def test_an_unknown_query_parameter_is_a_422_that_names_it_on_every_endpoint(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release], method: str, path: str,
) -> None:
    release = make_release("published")
    client = api("wire_editor")
    url = path.format(id=release.id)
    response = client.get(url) if method == "get" else client.post(url, {"reason": "Issued in error."})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert "'langauge'" in error["message"] or "'page'" in error["message"]
    assert "sector" not in error["details"]["unknown"]
    release.refresh_from_db()
    assert release.state == "published"


def test_the_cursor_walks_a_filtered_archive_once_even_as_releases_are_published(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    energy = {str(make_release("published", sectors=["energy"]).id) for _ in range(5)}
    make_release("published", sectors=["technology"])
    client = api("other_issuer_admin")
    seen: list[str] = []
    cursor = None
    while True:
        page = client.get("/api/v1/releases", sector="energy", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += _ids(page)
        # A release published while the client pages sorts before the cursor and moves nothing.
        make_release("published", sectors=["energy"])
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5
    assert set(seen) == energy


def test_the_version_history_lists_every_distributed_version(api: Callable[[str | None], ApiClient],
                                                             make_release: Callable[..., Release]) -> None:
    release = make_release("corrected")
    response = api("other_issuer_admin").get(f"/api/v1/releases/{release.id}/versions")
    assert response.status_code == 200
    body = response.json()
    assert body["release"] == str(release.id)
    assert [(v["number"], v["action"], v["note"]) for v in body["versions"]] == [
        (1, "publish", ""), (2, "correct", "Fixed the plant's capacity.")]
    assert all(dt.datetime.fromisoformat(v["created_at"]).tzinfo is not None for v in body["versions"])


@pytest.mark.parametrize(("format_name", "first", "second"), [
    ("ninjs", '"version": "1"', '"version": "2"'),
    ("ninjs-2.2", '"version": "1"', '"version": "2"'),
    ("newsml-g2", 'version="1"', 'version="2"'),
    # NITF numbers no versions; the correction element tells the second apart.
    ("nitf", 'management-status="usable"', '<correction'),
])
def test_each_version_is_served_in_every_format(api: Callable[[str | None], ApiClient],
                                                make_release: Callable[..., Release], format_name: str,
                                                first: str, second: str) -> None:
    release = make_release("corrected")
    client = api("other_issuer_admin")
    one = client.get(f"/api/v1/releases/{release.id}/versions/1", format=format_name)
    two = client.get(f"/api/v1/releases/{release.id}/versions/2", format=format_name, language="en")
    assert one.status_code == two.status_code == 200
    assert one["X-Wireroom-Version"] == "1" and two["X-Wireroom-Version"] == "2"
    assert one["Content-Type"] == two["Content-Type"]
    assert first.replace(" ", "") in one.content.decode().replace(" ", "")
    assert second.replace(" ", "") in two.content.decode().replace(" ", "")
    assert "the plant's capacity" not in one.content.decode().replace("&#39;", "'")
    assert "the plant's capacity" in two.content.decode().replace("&#39;", "'").replace("&apos;", "'")


def test_a_version_is_chosen_by_accept_and_a_missing_one_is_404(api: Callable[[str | None], ApiClient],
                                                                 make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    client = api("issuer_member")
    xml = client.get_accepting("application/nitf+xml", f"/api/v1/releases/{release.id}/versions/1")
    assert xml.status_code == 200 and xml["Content-Type"].startswith("application/nitf+xml")
    missing = client.get(f"/api/v1/releases/{release.id}/versions/2")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    refused = client.get_accepting("text/csv", f"/api/v1/releases/{release.id}/versions/1")
    assert refused.status_code == 406


def test_after_withdrawal_versions_are_visible_only_to_the_issuer_and_the_wires_editors(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    release = make_release("withdrawn")
    for role in ("issuer_member", "wire_editor"):
        history = api(role).get(f"/api/v1/releases/{release.id}/versions").json()["versions"]
        assert [v["action"] for v in history] == ["publish", "withdraw"]
        kill = api(role).get(f"/api/v1/releases/{release.id}/versions/2", format="newsml-g2")
        assert kill.status_code == 200 and b"stat:canceled" in kill.content
    outlet = ApiClient(_reader_key(OrganizationKind.MEDIA_OUTLET, "Gulf Daily"))
    for reader in (api("other_issuer_admin"), outlet):
        for path in ("", "/versions", "/versions/1", "/versions/2"):
            response = reader.get(f"/api/v1/releases/{release.id}{path}")
            assert response.status_code == 404, path


def test_an_embargoed_releases_versions_are_hidden_from_other_organizations(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    release = make_release("scheduled")
    assert api("other_issuer_admin").get(f"/api/v1/releases/{release.id}/versions").status_code == 404
    assert api("issuer_admin").get(f"/api/v1/releases/{release.id}/versions").status_code == 200


@pytest.mark.parametrize("path", ["", "/versions", "/versions/1"])
def test_an_unchanged_item_answers_if_none_match_with_304_and_a_changed_one_with_200(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release], actors: dict[str, Membership],
    path: str,
) -> None:
    release = make_release("published")
    client = api("other_issuer_admin")
    url = f"/api/v1/releases/{release.id}{path}"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    again = client.client.get(url, headers=client.headers | {"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    if path != "/versions":
        assert client.get(url, format="nitf")["ETag"] != etag
    services.release_correct(release=release, by=actors["wire_editor"], note="A new figure.",
                             localizations=[services.LocalizationInput(
                                 language="en", headline="Nahr Energy opens a bigger plant",
                                 body_html="<p>Bigger.</p>", origin="human", translated_from="ar")])
    changed = client.client.get(url, headers=client.headers | {"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_if_modified_since_answers_304_until_the_release_changes(api: Callable[[str | None], ApiClient],
                                                                 make_release: Callable[..., Release],
                                                                 actors: dict[str, Membership]) -> None:
    release = make_release("published")
    _backdate(release, LONG_AGO)
    client = api("other_issuer_admin")
    url = f"/api/v1/releases/{release.id}"
    assert client.get(url)["Last-Modified"] == http_date(LONG_AGO.timestamp())
    since = {"If-Modified-Since": http_date(LONG_AGO.timestamp())}
    assert client.client.get(url, headers=client.headers | since).status_code == 304
    services.release_correct(release=release, by=actors["wire_editor"], note="A new figure.", localizations=[])
    assert client.client.get(url, headers=client.headers | since).status_code == 200


def test_the_list_answers_conditional_requests_and_changes_when_a_release_leaves_it(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("published")
    _backdate(release, LONG_AGO)
    client = api("other_issuer_admin")
    first = client.get("/api/v1/releases")
    assert first["Last-Modified"] == http_date(LONG_AGO.timestamp())
    unchanged = client.client.get("/api/v1/releases", headers=client.headers | {
        "If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    for condition in ({"If-None-Match": first["ETag"]}, {"If-Modified-Since": first["Last-Modified"]}):
        gone = client.client.get("/api/v1/releases", headers=client.headers | condition)
        assert gone.status_code == 200
        assert gone.json()["items"] == []


@pytest.mark.parametrize("kind", [OrganizationKind.MEDIA_OUTLET, OrganizationKind.TERMINAL_PARTNER])
def test_an_outlets_or_partners_key_reads_the_public_archive_and_nothing_else(
    archive: dict[str, Release], kind: OrganizationKind,
) -> None:
    reader = ApiClient(_reader_key(kind, "Gulf Daily"))
    assert set(_ids(reader.get("/api/v1/releases", limit=100))) == {str(archive["old"].id),
                                                                   str(archive["other"].id)}
    assert _ids(reader.get("/api/v1/releases", state="draft")) == []
    assert reader.get(f"/api/v1/releases/{archive['old'].id}", format="newsml-g2").status_code == 200
    for hidden in ("draft", "scheduled", "withdrawn"):
        assert reader.get(f"/api/v1/releases/{archive[hidden].id}").status_code == 404


def test_an_outlets_key_cannot_write(archive: dict[str, Release]) -> None:
    reader = ApiClient(_reader_key(OrganizationKind.MEDIA_OUTLET, "Gulf Daily"))
    created = reader.post("/api/v1/releases", {"original_language": "en", "localizations": [
        {"language": "en", "headline": "Not ours to send", "body_html": "<p>No.</p>"}]})
    assert created.status_code == 403
    withdrawn = reader.post(f"/api/v1/releases/{archive['old'].id}/withdraw", {"reason": "Not ours."})
    assert withdrawn.status_code == 404
    assert Release.objects.filter(issuer__kind=OrganizationKind.MEDIA_OUTLET).count() == 0


def test_anonymous_clients_are_refused_unless_the_operator_allows_anonymous_reads(
    archive: dict[str, Release],
) -> None:
    anonymous = ApiClient(None)
    response = anonymous.get("/api/v1/releases")
    assert response.status_code == 401
    assert anonymous.get(f"/api/v1/releases/{archive['old'].id}").status_code == 401


@override_settings(API_ANONYMOUS_READ=True)
def test_where_the_operator_allows_it_anonymous_clients_read_the_public_archive_only(
    archive: dict[str, Release],
) -> None:
    anonymous = ApiClient(None)
    assert set(_ids(anonymous.get("/api/v1/releases"))) == {str(archive["old"].id), str(archive["other"].id)}
    assert _ids(anonymous.get("/api/v1/releases", sector="energy")) == [str(archive["old"].id)]
    assert anonymous.get(f"/api/v1/releases/{archive['old'].id}").status_code == 200
    assert anonymous.get(f"/api/v1/releases/{archive['old'].id}/versions").status_code == 200
    assert anonymous.get(f"/api/v1/releases/{archive['old'].id}")["RateLimit-Policy"]
    for hidden in ("draft", "scheduled", "withdrawn"):
        assert anonymous.get(f"/api/v1/releases/{archive[hidden].id}").status_code == 404
        assert anonymous.get(f"/api/v1/releases/{archive[hidden].id}/versions").status_code == 404
    refused = anonymous.post("/api/v1/releases", {"original_language": "en", "localizations": [
        {"language": "en", "headline": "Anyone may write?", "body_html": "<p>No.</p>"}]})
    assert refused.status_code == 401
    assert anonymous.get("/api/v1/sectors").status_code == 401
    assert ApiClient("wr_not-a-key").get("/api/v1/releases").status_code == 401
