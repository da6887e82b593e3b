"""The editorial desk: the queue, claims, the review with its diffs and checks, the decisions, corrections and
withdrawals; for the wire's staff only, with bad input refused and nothing changed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.support.factories import release_input
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.desk.models import Claim
from wireroom.releases import services
from wireroom.releases.models import Release, State

PAGES = ["", "releases/{id}/"]
POSTS = ["claim", "unclaim", "approve", "request-changes", "edit", "correct", "withdraw"]


def _client(actors: dict[str, Membership], role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(actors[role].user)
    return client


@pytest.mark.django_db
def test_every_desk_page_sends_visitors_to_sign_in_and_refuses_issuers(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("submitted")
    urls = [f"/desk/{page.format(id=release.id)}" for page in PAGES]
    posts = [f"/desk/releases/{release.id}/{action}/" for action in POSTS]
    for url in urls:
        assert _client(actors, None).get(url).status_code == 302
        for role in ("issuer_member", "issuer_admin", "other_issuer_admin"):
            assert _client(actors, role).get(url).status_code == 403, (url, role)
        for role in ("wire_editor", "wire_admin"):
            assert _client(actors, role).get(url).status_code == 200, (url, role)
    for url in posts:
        response = _client(actors, None).post(url, {"note": "x", "reason": "x"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        for role in ("issuer_member", "issuer_admin", "other_issuer_admin"):
            assert _client(actors, role).post(url, {"note": "x", "reason": "x"}).status_code == 403, (url, role)
    release.refresh_from_db()
    assert release.state == State.SUBMITTED and not Claim.objects.exists()


@pytest.mark.django_db
def test_an_unknown_release_is_404_on_every_desk_address(actors: dict[str, Membership]) -> None:
    client = _client(actors, "wire_editor")
    missing = uuid.uuid4()
    assert client.get(f"/desk/releases/{missing}/").status_code == 404
    for action in POSTS:
        assert client.post(f"/desk/releases/{missing}/{action}/", {"note": "x"}).status_code == 404, action


@pytest.mark.django_db
def test_the_queue_lists_the_nearest_embargo_first_then_the_longest_waiting(
    actors: dict[str, Membership],
) -> None:
    author = actors["issuer_admin"]
    soon = timezone.now() + dt.timedelta(hours=2)
    made = {}
    for name, embargo in (("first-waiting", None), ("later-embargo", soon + dt.timedelta(hours=1)),
                          ("second-waiting", None), ("soon", soon)):
        data = release_input(embargo_at=embargo)
        data.localizations[0].headline = f"Headline {name}"
        release = services.release_create(by=author, data=data).release
        services.release_submit(release=release, by=author)
        made[name] = release
    draft = services.release_create(by=author, data=release_input()).release
    html = _client(actors, "wire_editor").get("/desk/").content.decode()
    order = [html.index(f"Headline {name}") for name in ("soon", "later-embargo", "first-waiting", "second-waiting")]
    assert order == sorted(order)
    assert f"/desk/releases/{draft.id}/" not in html
    assert "Claim" in html


@pytest.mark.django_db
def test_a_claim_takes_the_submission_into_review_and_others_see_who_has_it(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("submitted")
    editor, other = _client(actors, "wire_editor"), _client(actors, "wire_admin")
    response = editor.post(f"/desk/releases/{release.id}/claim/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "You have it" in response.content.decode()
    release.refresh_from_db()
    assert release.state == State.IN_REVIEW
    assert "Claimed by <bdi>editor</bdi>" in other.get("/desk/").content.decode()
    refused = other.post(f"/desk/releases/{release.id}/claim/", HTTP_HX_REQUEST="true")
    assert refused.status_code == 409 and "editor has this one." in refused.content.decode()
    assert Claim.objects.get(release=release).editor == actors["wire_editor"].user
    editor.post(f"/desk/releases/{release.id}/unclaim/")
    assert not Claim.objects.filter(release=release).exists()


@pytest.mark.django_db
def test_a_claim_from_the_queue_answers_with_its_row_so_the_state_and_the_claimant_change_at_once(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("submitted")
    editor, other = _client(actors, "wire_editor"), _client(actors, "wire_admin")
    row = {"HX-Request": "true", "HX-Target": f"queue-{release.id}"}
    queue = editor.get("/desk/").content.decode()
    assert '<span class="state">Submitted</span>' in queue and "{#" not in queue, "no template comment shows"
    html = editor.post(f"/desk/releases/{release.id}/claim/", headers=row).content.decode()
    assert f'<tr id="queue-{release.id}">' in html
    assert '<span class="state">In review</span>' in html and "You have it" in html
    assert f'hx-target="#queue-{release.id}"' in html  # letting go answers with the row again
    refused = other.post(f"/desk/releases/{release.id}/claim/", headers=row)
    html = refused.content.decode()
    assert refused.status_code == 409 and f'<tr id="queue-{release.id}">' in html
    assert "Claimed by <bdi>editor</bdi>" in html and "editor has this one." in html
    assert '<span class="state">In review</span>' in html
    let_go = editor.post(f"/desk/releases/{release.id}/unclaim/", headers=row).content.decode()
    assert '<button type="submit">Claim</button>' in let_go and '<span class="state">In review</span>' in let_go
    services.release_approve(release=release, by=actors["wire_admin"])
    gone = editor.post(f"/desk/releases/{release.id}/claim/", headers=row)
    assert gone.status_code == 409 and gone.content == b""
    assert not Claim.objects.filter(release=release).exists()


@pytest.mark.django_db
def test_requesting_changes_needs_a_note_and_then_the_diff_shows_the_issuers_fix(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("submitted")
    editor = _client(actors, "wire_editor")
    blank = editor.post(f"/desk/releases/{release.id}/request-changes/", {"note": "   "})
    assert blank.status_code == 400 and "This field is required." in blank.content.decode()
    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    response = editor.post(f"/desk/releases/{release.id}/request-changes/", {"note": "Say how many homes."})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    release.refresh_from_db()
    assert release.state == State.CHANGES_REQUESTED and release.review_note == "Say how many homes."
    author = actors["issuer_admin"]
    fix = release_input().localizations[1]
    fix.headline = "Nahr Energy opens a solar desalination plant for 50,000 homes"
    services.release_update(release=release, by=author, data=services.ReleaseInput(localizations=[fix]))
    services.release_submit(release=release, by=author)
    html = editor.get(f"/desk/releases/{release.id}/").content.decode()
    assert "Changes since submission 1" in html
    assert '<td class="change" lang="en" dir="auto">' in html
    assert "<del>-powered</del>" in html and "<ins> for 50,000 homes</ins>" in html
    entry = AuditEntry.objects.filter(action="release.update", target_id=str(release.id)).latest("id")
    assert entry.data["changes"]["en.headline"] == {
        "before": "Nahr Energy opens a solar-powered desalination plant",
        "after": "Nahr Energy opens a solar desalination plant for 50,000 homes"}
    assert "en.headline" in html  # the history shows the field-level change


@pytest.mark.django_db
def test_the_checks_are_computed_at_submission_and_shown_beside_it(
    actors: dict[str, Membership],
) -> None:
    author = actors["issuer_admin"]
    author.organization.website = "https://nahr-energy.example"
    author.organization.save()
    data = release_input(contacts=[{"name": "Press", "email": "press@gmail.example"},
                                   {"name": "Desk", "email": "desk@media.nahr-energy.example"}])
    data.localizations[1].body_html = ('<p>Read <a href="https://www.example.org/plant">more</a>.'
                                       '<script>alert(1)</script></p>')
    # The Arabic text, pasted in English by mistake.
    data.localizations[0].headline = "Nahr Energy opens a solar-powered desalination plant"
    data.localizations[0].summary = "The new plant makes drinking water for fifty thousand homes."
    data.localizations[0].body_html = "<p>Nahr Energy today switched on its new plant, running on solar power.</p>"
    release = services.release_create(by=author, data=data).release
    services.release_submit(release=release, by=author)
    submission = release.submissions.get()
    assert submission.checks["first_release"] is True
    assert submission.checks["links"]["en"][0]["domain"] == "example.org"
    assert submission.checks["removed_html"]["en"]
    assert submission.checks["language"]["ar"][0]["detected"] == "en"
    assert [c["email"] for c in submission.checks["contact_domains"]] == ["press@gmail.example"]
    html = _client(actors, "wire_editor").get(f"/desk/releases/{release.id}/").content.decode()
    assert "The issuer has no published release yet." in html
    assert "<strong>example.org</strong>" in html
    assert "The sanitizer removed HTML" in html
    assert "Declared as ar, but the text reads as en." in html
    assert "press@gmail.example" in html


@pytest.mark.django_db
def test_an_editor_edits_and_approves_and_a_bad_edit_changes_nothing(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("submitted")
    editor = _client(actors, "wire_editor")
    form = {f"{tag}-{name}": value for tag, loc in (("ar", release.localizations.get(language="ar")),
                                                    ("en", release.localizations.get(language="en")))
            for name, value in (("headline", loc.headline), ("summary", loc.summary), ("body_html", loc.body_html))}
    bad = {**form, "en-headline": "x" * 301, "ar-body_html": "<script>alert(1)</script>"}
    response = editor.post(f"/desk/releases/{release.id}/edit/", bad)
    assert response.status_code == 400
    assert "Ensure this value has at most 300 characters" in response.content.decode()
    emptied = editor.post(f"/desk/releases/{release.id}/edit/", {**form, "ar-body_html": "<script>x</script>"})
    assert emptied.status_code == 400 and "empty once unsafe HTML is removed" in emptied.content.decode()
    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    response = editor.post(f"/desk/releases/{release.id}/edit/", {**form, "en-headline": "Edited by the desk"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.state == State.APPROVED
    assert release.localizations.get(language="en").headline == "Edited by the desk"


@pytest.mark.django_db
def test_approving_twice_is_refused_with_a_clear_message(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("approved")
    response = _client(actors, "wire_editor").post(f"/desk/releases/{release.id}/approve/")
    assert response.status_code == 409
    assert "Cannot approve this release: it is approved" in response.content.decode()


@pytest.mark.django_db
def test_the_desk_corrects_and_withdraws_only_with_a_note_or_reason(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("published")
    editor = _client(actors, "wire_editor")
    page = editor.get(f"/desk/releases/{release.id}/").content.decode()
    assert "Send the correction" in page and "Withdraw" in page
    form = {f"{loc.language_id}-{name}": getattr(loc, name) for loc in release.localizations.all()
            for name in ("headline", "summary", "body_html")}
    assert editor.post(f"/desk/releases/{release.id}/correct/", {**form, "note": ""}).status_code == 400
    assert editor.post(f"/desk/releases/{release.id}/withdraw/", {"reason": " "}).status_code == 400
    release.refresh_from_db()
    assert release.state == State.PUBLISHED and release.version == 1
    response = editor.post(f"/desk/releases/{release.id}/correct/",
                           {**form, "en-headline": "Nahr Energy opens a 45 MW desalination plant",
                            "note": "The capacity was missing."})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.state == State.CORRECTED and release.version == 2
    page = editor.get(f"/desk/releases/{release.id}/").content.decode()
    assert "The capacity was missing." in page
    response = editor.post(f"/desk/releases/{release.id}/withdraw/", {"reason": "Issued in error."})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.state == State.WITHDRAWN
    assert "Issued in error." in editor.get(f"/desk/releases/{release.id}/").content.decode()


@pytest.mark.parametrize(("before", "after", "segments"), [
    ("纳赫尔能源启用太阳能", "纳赫尔能源关闭太阳能",
     [("equal", "纳赫尔能源"), ("delete", "启用"), ("insert", "关闭"), ("equal", "太阳能")]),
    ("نهر للطاقة تفتتح محطة", "نهر للطاقة تغلق محطة",
     [("equal", "نهر للطاقة "), ("delete", "تفتتح"), ("insert", "تغلق"), ("equal", " محطة")]),
    ("", "New text", [("insert", "New text")]),
])
def test_the_diff_compares_words_and_the_characters_of_scripts_without_spaces(
    before: str, after: str, segments: list[tuple[str, str]],
) -> None:
    from wireroom.desk.diff import snapshot_diff

    diffs = snapshot_diff({"localizations": [{"language": "x", "headline": before}]} if before else None,
                          {"localizations": [{"language": "x", "headline": after}]})
    assert [(diff.language, diff.field, diff.segments) for diff in diffs] == [("x", "headline", segments)]
