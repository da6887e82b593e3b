"""The newsroom's entity tags come from the data a page shows: a conditional GET that still matches is answered
304 before anything is rendered, and every change a reader would see changes the tag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.support.workers import wait_until
from wireroom.accounts.models import Membership
from wireroom.newsroom import validators
from wireroom.releases import services
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db


def _get(path: str, **headers: str) -> tuple[int, str, int, list[str]]:
    """Status, ETag, queries read and templates rendered."""
    client = Client()
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, headers=headers)
    return (response.status_code, response.get("ETag", ""), len(context.captured_queries),
            [template.name for template in getattr(response, "templates", []) if template.name])


def _tag(path: str) -> str:
    status, tag, _queries, _templates = _get(path)
    assert status == 200 and tag, path
    return tag


@pytest.mark.parametrize("path", ["/en/", "/", "/ar/sectors/top-story/", "/en/countries/AE/", "/ja/regions/mena/",
                                  "/en/issuers/nahr-energy/", "/en/archive/", "/en/browse/",
                                  "/en/search/?q=Jebel+Ali", "/en/?page=2"])
def test_a_conditional_get_that_still_matches_is_answered_304_without_rendering(
    make_release: Callable[..., Release], path: str,
) -> None:
    make_release("published", regions=["mena"], sectors=["top-story"])
    status, tag, full_queries, templates = _get(path)
    assert status == 200 and tag.startswith('W/"') and templates
    status, again, queries, templates = _get(path, **{"if-none-match": tag})
    assert (status, again, templates) == (304, tag, [])
    assert queries < full_queries


def test_a_release_page_is_answered_304_without_rendering_and_each_language_has_its_own_tag(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("published")
    path = f"/releases/{release.id}/ar/"
    tag = _tag(path)
    status, again, _queries, templates = _get(path, **{"if-none-match": tag})
    assert (status, again, templates) == (304, tag, [])
    assert _tag(f"/releases/{release.id}/en/") != tag


def test_the_page_language_and_its_parameters_are_part_of_the_tag(make_release: Callable[..., Release]) -> None:
    make_release("published")
    tags = {_tag("/en/"), _tag("/ar/"), _tag("/en/?page=2"), _tag("/en/search/?q=plant"),
            _tag("/en/search/?q=solar")}
    assert len(tags) == 5
    # The unprefixed home page is in the visitor's language, and says so.
    assert _tag("/") != Client().get("/", headers={"accept-language": "ar"})["ETag"]
    answer = Client().get("/", headers={"accept-language": "ar", "if-none-match": _tag("/ar/")})
    assert answer.status_code == 304 and "Accept-Language" in answer["Vary"]


def test_a_publication_a_correction_and_a_withdrawal_each_change_the_tags_of_the_pages_that_show_it(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    first = make_release("published", sectors=["energy"])
    home, sector, page = _tag("/en/"), _tag("/en/sectors/energy/"), _tag(f"/releases/{first.id}/en/")
    other = _tag("/en/sectors/technology/")

    make_release("published", sectors=["energy"])
    assert _tag("/en/") != home and _tag("/en/sectors/energy/") != sector
    assert _tag("/en/sectors/technology/") == other  # nothing changed there
    assert _tag(f"/releases/{first.id}/en/") == page
    home, sector = _tag("/en/"), _tag("/en/sectors/energy/")

    services.release_correct(release=first, by=actors["wire_editor"], note="Fixed the plant's capacity.")
    corrected = _tag(f"/releases/{first.id}/en/")
    assert corrected != page and _tag("/en/") != home and _tag("/en/sectors/energy/") != sector
    status, _tag_after, _queries, _templates = _get(f"/releases/{first.id}/en/", **{"if-none-match": page})
    assert status == 200
    home, sector = _tag("/en/"), _tag("/en/sectors/energy/")

    services.release_withdraw(release=first, by=actors["wire_editor"], reason="Issued in error.")
    assert _tag("/en/") != home and _tag("/en/sectors/energy/") != sector
    # The withdrawn page is never answered 304 with the tag of its public days.
    status, _tag_after, _queries, _templates = _get(f"/releases/{first.id}/en/", **{"if-none-match": corrected})
    assert status == 410


@pytest.mark.slow
def test_an_embargo_second_changes_the_tags_though_nothing_is_written_at_it(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("approved", sectors=["energy"])
    embargo = (timezone.now() + dt.timedelta(hours=1)).replace(microsecond=0)
    services.release_publish(release=release, by=actors["issuer_admin"], embargo_at=embargo)
    services.release_publish_due(release=release, now=embargo)
    # Published, with its second still to come: bring the second close (publishing takes long on a busy machine),
    # then write nothing more. It becomes public at the second by the clock alone.
    second = (timezone.now() + dt.timedelta(seconds=30)).replace(microsecond=0)
    Release.objects.filter(pk=release.pk).update(embargo_at=second, published_at=second)
    path = "/en/sectors/energy/"

    def tag() -> str | None:  # what the page's conditional GET compares, without rendering it
        return validators.sector(RequestFactory().get(path), "en", "energy")

    before = tag()
    assert before is not None
    hidden = Client().get(path, headers={"if-none-match": before})
    assert timezone.now() < second and hidden.status_code == 304 and not hidden.content
    wait_until(lambda: tag() != before, timeout=120, what="the embargo second to pass")
    assert timezone.now() >= second
    answer = Client().get(path, headers={"if-none-match": before})
    assert answer.status_code == 200 and str(release.id) in answer.content.decode()
    assert answer["ETag"] == tag()
    assert Client().get(f"/releases/{release.id}/en/").status_code == 200
