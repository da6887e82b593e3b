from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.support.translation import english_release
from wireroom.accounts.models import Membership, User
from wireroom.releases.models import Release
from wireroom.translation import services
from wireroom.translation.models import TranslationJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> Client:
    client = Client()
    client.force_login(User.objects.create(username="ops", is_staff=True, is_superuser=True))
    return client


def test_operators_see_failed_translation_jobs_and_queue_them_again(
        make_release: Callable[..., Release], actors: dict[str, Membership], operator: Client) -> None:
    release = make_release("draft", **english_release())
    [job] = services.translation_request(release=release, languages=["es"], by=actors["issuer_admin"])
    TranslationJob.objects.filter(pk=job.pk).update(state="failed", attempts=5, last_error="gave up after 5 attempts")
    listing = operator.get("/admin/translation/translationjob/")
    assert listing.status_code == 200 and "gave up after 5 attempts" in listing.content.decode()
    operator.post("/admin/translation/translationjob/", {"action": "retry", "_selected_action": [job.pk]})
    job.refresh_from_db()
    assert (job.state, job.attempts, job.last_error) == ("pending", 0, "")


def test_the_glossary_is_read_only_in_the_admin(actors: dict[str, Membership], operator: Client) -> None:
    services.glossary_set(organization=actors["issuer_admin"].organization, language="es",
                          terms={"Sun Cloud": "Nube Solar"}, by=actors["issuer_admin"])
    listing = operator.get("/admin/translation/glossaryterm/")
    assert listing.status_code == 200 and "Nube Solar" in listing.content.decode()
    assert operator.get("/admin/translation/glossaryterm/add/").status_code == 403
