"""The wire's name on the newsroom, in the feeds and in the formats is its brand's name in the language of the page,
feed or item; a language without a brand of its own keeps the configured name."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from lxml import etree

from wireroom.accounts.models import Membership
from wireroom.brand.services import wording_save
from wireroom.formats.registry import get_format
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db

GULF_WIRE = "وكالة الخليج"


@pytest.fixture
def arabic_brand(actors: dict[str, Membership]) -> None:
    wording_save(language="ar", by=actors["wire_admin"].user, values={"wire_name": GULF_WIRE})


def _masthead(html: str) -> str:
    found = re.search(r'<a class="brand" href="[^"]*">([^<]*)</a>', html)
    assert found, html[:500]
    return found.group(1)


def test_the_masthead_title_and_publisher_name_the_wire_as_the_pages_language_brands_it(
        arabic_brand: None, make_release: Callable[..., Release]) -> None:
    release = make_release("published", languages=["en", "ar"])
    arabic = Client().get("/ar/").content.decode()
    assert _masthead(arabic) == GULF_WIRE and f"· {GULF_WIRE}</title>" in arabic
    english = Client().get("/en/").content.decode()
    assert _masthead(english) == settings.WIRE_NAME and GULF_WIRE not in english
    page = Client().get(f"/releases/{release.id}/ar/").content.decode()
    assert f'<meta property="og:site_name" content="{GULF_WIRE}">' in page
    ld = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[0])
    assert ld["publisher"]["name"] == GULF_WIRE


def test_a_new_brand_name_changes_the_pages_entity_tag(actors: dict[str, Membership]) -> None:
    before = Client().get("/ar/")["ETag"]
    assert Client().get("/ar/", headers={"if-none-match": before}).status_code == 304
    wording_save(language="ar", by=actors["wire_admin"].user, values={"wire_name": GULF_WIRE})
    answer = Client().get("/ar/", headers={"if-none-match": before})
    assert answer.status_code == 200 and _masthead(answer.content.decode()) == GULF_WIRE
    assert Client().get("/en/")["ETag"] != answer["ETag"]


def test_a_feed_in_a_language_is_titled_with_that_languages_brand(
        arabic_brand: None, make_release: Callable[..., Release]) -> None:
    make_release("published", languages=["en", "ar"])
    arabic = Client().get("/feeds/language/ar.json")
    assert json.loads(arabic.content)["title"].startswith(GULF_WIRE)
    assert json.loads(Client().get("/feeds/language/en.json").content)["title"].startswith(settings.WIRE_NAME)
    assert json.loads(Client().get("/feeds/all.json").content)["title"] == settings.WIRE_NAME


def test_ninjs_nitf_and_newsml_name_the_distributor_as_the_items_language_brands_it(
        arabic_brand: None, make_release: Callable[..., Release]) -> None:
    release = make_release("published", languages=["en", "ar"])

    def render(name: str, language: str) -> str:
        rendered = get_format(name).render(release=release, version=None, language=language, action=None)
        return rendered.decode() if isinstance(rendered, bytes) else rendered

    assert json.loads(render("ninjs", "ar"))["infoSources"] == [{"name": GULF_WIRE, "role": "distributor"}]
    assert json.loads(render("ninjs", "en"))["infoSources"] == [{"name": settings.WIRE_NAME, "role": "distributor"}]
    nitf = etree.fromstring(render("nitf", "ar").encode())
    assert nitf.findtext(".//{*}distributor") == GULF_WIRE and nitf.find(".//{*}doc-id").get("regsrc") == GULF_WIRE
    newsml = etree.fromstring(render("newsml-g2", "ar").encode())
    assert newsml.findtext(".//{*}itemMeta/{*}provider/{*}name") == GULF_WIRE
