"""The taxonomy endpoints label everything in the wire's 15 languages; the outlet list is for wire staff."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.api import ApiClient
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.taxonomy.loader import FIRST_CLASS
from wireroom.taxonomy.models import Language

pytestmark = pytest.mark.django_db
TAXONOMY = ["/api/v1/sectors", "/api/v1/languages", "/api/v1/countries", "/api/v1/regions"]


@pytest.mark.parametrize("path", [*TAXONOMY, "/api/v1/outlets"])
def test_anonymous_callers_are_refused_with_the_error_shape(path: str, api: Callable[[str | None], ApiClient]) -> None:
    answer = api(None).get(path)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("path", TAXONOMY)
@pytest.mark.parametrize("role", ["issuer_member", "wire_editor"])
def test_every_key_holder_reads_the_taxonomy_with_a_label_in_each_of_the_15_languages(
        path: str, role: str, api: Callable[[str | None], ApiClient]) -> None:
    answer = api(role).get(path)
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert items
    for item in items:
        assert set(item["labels"]) == set(FIRST_CLASS), item
        assert all(item["labels"].values()), item


def test_labels_are_each_language_s_own_words(api: Callable[[str | None], ApiClient]) -> None:
    client = api("issuer_member")
    sector = next(s for s in client.get("/api/v1/sectors").json()["items"] if s["slug"] == "technology")
    assert (sector["labels"]["ar"], sector["labels"]["ja"], sector["iptc_code"]) == (
        "التكنولوجيا", "テクノロジー", "medtop:20000225")
    arabic = next(lang for lang in client.get("/api/v1/languages").json()["items"] if lang["code"] == "ar")
    assert (arabic["direction"], arabic["labels"]["fr"], arabic["labels"]["en"]) == ("rtl", "arabe", "Arabic")
    uae = next(c for c in client.get("/api/v1/countries").json()["items"] if c["code"] == "AE")
    assert (uae["alpha3"], uae["labels"]["de"], uae["labels"]["ar"]) == (
        "ARE", "Vereinigte Arabische Emirate", "الإمارات العربية المتحدة")
    regions = {r["slug"]: r for r in client.get("/api/v1/regions").json()["items"]}
    assert regions["gcc"]["countries"] == ["AE", "BH", "KW", "OM", "QA", "SA"]
    assert regions["gcc"]["labels"]["ar"] == "مجلس التعاون الخليجي"
    assert regions["europe"]["labels"]["es"] == "Europa"


@pytest.fixture
def outlets() -> list[Outlet]:
    made = [Outlet.objects.create(name=f"Gulf Paper {n}", type=OutletType.NEWSPAPER, country_id="AE")
            for n in range(5)]
    made.append(Outlet.objects.create(name="Lion Terminal", type=OutletType.TERMINAL_PARTNER, country_id="SG",
                                      desktops=350_000))
    made.append(Outlet.objects.create(name="Closed Weekly", type=OutletType.NEWSPAPER, country_id="AE",
                                      active=False))
    made[0].languages.set(Language.objects.filter(code__in=["ar", "en"]))
    return made


@pytest.mark.parametrize("role", ["issuer_member", "issuer_admin"])
def test_issuers_may_not_list_outlets(role: str, api: Callable[[str | None], ApiClient],
                                      outlets: list[Outlet]) -> None:
    answer = api(role).get("/api/v1/outlets")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["wire_editor", "wire_admin"])
def test_wire_staff_page_through_outlets_with_filters(role: str, api: Callable[[str | None], ApiClient],
                                                      outlets: list[Outlet]) -> None:
    client = api(role)
    first = client.get("/api/v1/outlets", country="ae", type="newspaper", active="true", limit=3).json()
    assert [o["name"] for o in first["items"]] == ["Gulf Paper 0", "Gulf Paper 1", "Gulf Paper 2"]
    assert first["items"][0] | {"id": 0} == {"id": 0, "name": "Gulf Paper 0", "type": "newspaper", "country": "AE",
                                           "languages": ["ar", "en"], "sectors": [], "website": "",
                                           "desktops": 0, "active": True}
    second = client.get("/api/v1/outlets", country="AE", type="newspaper", active="true", limit=3,
                        cursor=first["next_cursor"]).json()
    assert [o["name"] for o in second["items"]] == ["Gulf Paper 3", "Gulf Paper 4"]
    assert second["next_cursor"] is None
    partners = client.get("/api/v1/outlets", type="terminal_partner").json()["items"]
    assert [(o["id"], o["desktops"]) for o in partners] == [(outlets[5].pk, 350_000)]
    assert [o["name"] for o in client.get("/api/v1/outlets", name="closed").json()["items"]] == ["Closed Weekly"]


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 101}, {"cursor": "not-ours"}, {"type": "blog"}])
def test_bad_outlet_queries_get_a_422_in_the_error_shape(query: dict[str, object],
                                                         api: Callable[[str | None], ApiClient]) -> None:
    answer = api("wire_editor").get("/api/v1/outlets", **query)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_input"
