"""The public newsroom: stable per-language pages, and nothing before its embargo or after withdrawal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from wireroom.accounts.models import Membership
from wireroom.releases.models import Release


@pytest.mark.django_db
def test_arabic_page_has_lang_dir_and_the_whole_anatomy(make_release: Callable[..., Release]) -> None:
    release = make_release("published", kind="third_party_article")
    response = Client().get(f"/releases/{release.id}/ar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="wire-item" lang="ar" dir="rtl">' in html
    assert "(Wireroom) –" in html
    assert "نهر للطاقة تفتتح محطة تحلية" in html
    for css_class in ("credit", "disclaimer", "sectors", "boilerplate"):
        assert f'class="{css_class}"' in html
    assert 'hreflang="en"' in html


@pytest.mark.django_db
def test_release_url_without_language_redirects_to_the_original(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    response = Client().get(f"/releases/{release.id}/")
    assert response.status_code == 302
    assert response["Location"] == f"/releases/{release.id}/ar/"


@pytest.mark.django_db
def test_home_lists_only_what_the_public_may_see(make_release: Callable[..., Release]) -> None:
    visible = make_release("published", dateline="Visible")
    hidden = [make_release(state) for state in ("draft", "submitted", "in_review", "approved", "scheduled",
                                                "withdrawn")]
    html = Client().get("/").content.decode()
    assert str(visible.id) in html
    for release in hidden:
        assert str(release.id) not in html, release.state


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "submitted", "in_review", "approved", "scheduled"])
def test_unpublished_pages_are_not_found_for_the_public(make_release: Callable[..., Release], state: str) -> None:
    release = make_release(state)
    for path in (f"/releases/{release.id}/", f"/releases/{release.id}/ar/", f"/releases/{release.id}/en/"):
        response = Client().get(path)
        assert response.status_code == 404
        assert "نهر" not in response.content.decode()


@pytest.mark.django_db
def test_withdrawn_release_page_is_gone_and_shows_no_content(make_release: Callable[..., Release]) -> None:
    release = make_release("withdrawn")
    response = Client().get(f"/releases/{release.id}/ar/")
    assert response.status_code == 410
    assert "نهر" not in response.content.decode()


@pytest.mark.django_db
def test_issuer_and_editors_can_preview_an_embargoed_release_but_others_cannot(
    make_release: Callable[..., Release], actors: dict[str, Membership]
) -> None:
    release = make_release("scheduled")
    for role, status in (("issuer_member", 200), ("wire_editor", 200), ("other_issuer_admin", 404)):
        client = Client()
        client.force_login(actors[role].user)
        response = client.get(f"/releases/{release.id}/ar/")
        assert response.status_code == status, role
        if status == 200:
            assert "preview-banner" in response.content.decode()


@pytest.mark.django_db
def test_unknown_language_or_id_is_not_found(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    assert Client().get(f"/releases/{release.id}/th/").status_code == 404
    assert Client().get("/releases/00000000-0000-0000-0000-000000000000/en/").status_code == 404
    assert Client().get("/releases/not-a-uuid/en/").status_code == 404


@pytest.mark.django_db
def test_corrected_release_shows_its_correction_note(make_release: Callable[..., Release]) -> None:
    release = make_release("corrected")
    html = Client().get(f"/releases/{release.id}/en/").content.decode()
    assert "Fixed the plant&#x27;s capacity." in html or "Fixed the plant's capacity." in html
