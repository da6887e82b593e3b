from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.translation import english_release
from tests.support.workers import start_worker, wait_until
from wireroom.accounts.models import Membership
from wireroom.releases.models import Localization, Release
from wireroom.translation import services
from wireroom.translation.models import TranslationJob

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_running_wireroom_worker_makes_the_requested_drafts(make_release: Callable[..., Release],
                                                              actors: dict[str, Membership], tmp_path: Path) -> None:
    release = make_release("draft", **english_release())
    services.translation_request(release=release, languages=["es", "pt"], by=actors["issuer_admin"])
    worker = start_worker(tmp_path)
    try:
        wait_until(lambda: set(TranslationJob.objects.values_list("state", flat=True)) == {"done"}, timeout=60,
                   what="both drafts")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    drafts = Localization.objects.filter(release=release, origin="machine").order_by("language_id")
    assert [(draft.language_id, draft.engine) for draft in drafts] == [("es", "apertium"), ("pt", "apertium via es")]
