"""The issuer workspace: the organization's releases, composing and editing them, translations, previews,
the live reach estimate, submitting and scheduling. Every change goes through the release services, which ask
the same permission functions as the API; the views only turn forms into their inputs and their errors into
messages."""

from __future__ import annotations

import json
import uuid
import zoneinfo
from typing import Any

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wireroom.accounts.access import member_required
from wireroom.accounts.models import Membership, Role
from wireroom.accounts.navigation import issues_releases
from wireroom.accounts.services import user_time_zone_set
from wireroom.anatomy.render import render_item
from wireroom.distribution.channels.email.render import render_email
from wireroom.distribution.targeting import target_from, target_reach
from wireroom.formats.registry import get_format
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound, TooLarge, WireroomError
from wireroom.lib.html import sanitize_html
from wireroom.media.selectors import release_images
from wireroom.media.services import release_image_alts_set
from wireroom.releases import services
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import PUBLIC_STATES, Action, Localization, Origin, Release, State
from wireroom.releases.selectors import release_for
from wireroom.taxonomy.labels import language_labels
from wireroom.taxonomy.models import Language, tag_for_django_code
from wireroom.translation.selectors import translation_progress, waiting_update
from wireroom.translation.services import localization_accept, translation_request
from wireroom.workspace.forms import (
    CONTACT_ROWS,
    JOB_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ImageForm,
    LocalizationForm,
    ReleaseFilterForm,
    ReleaseForm,
    ReplyForm,
)
from wireroom.workspace.selectors import workspace_releases

PAGE_SIZE = 25
# States in which a release has deliveries to report: staged for its embargo, or gone out. The report itself is
# the distribution app's, at `<release>/report/` under the workspace.
REPORTED_STATES = frozenset({State.SCHEDULED, State.PUBLISHED, State.CORRECTED, State.WITHDRAWN})
issuer_required = member_required(issues_releases)


def _release(membership: Membership, release_id: uuid.UUID) -> Release:
    try:
        return release_for(actor=membership, release_id=release_id)
    except NotFound:
        raise Http404("No such release.") from None


def _ui_tag() -> str:
    return tag_for_django_code(get_language() or "en")


def _zone(request: HttpRequest) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(getattr(request.user, "time_zone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _shown(release: Release, tag: str) -> Localization | None:
    """The localization to name a release by: the reader's language if it has one, else the original."""
    localizations = list(release.localizations.all())
    return (next((loc for loc in localizations if loc.language_id == tag), None)
            or next((loc for loc in localizations if loc.language_id == release.original_language_id), None))


def _refused(request: HttpRequest, error: WireroomError) -> None:
    """A service's refusal, said on the page; the service changed nothing."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    if isinstance(error, NotAllowed):
        raise PermissionDenied(error.message)
    messages.error(request, error.message)


def _removed(request: HttpRequest, removed: dict[str, list[str]]) -> None:
    for language, pieces in removed.items():
        messages.warning(request, _("The sanitizer removed from the %(language)s text: %(pieces)s") % {
            "language": language, "pieces": " · ".join(pieces[:20])})


@require_safe
@issuer_required
def home(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = ReleaseFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        releases = Release.objects.none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        releases = workspace_releases(actor=membership, state=filters.get("state") or "",
                                      language=filters.get("language") or "", headline=filters.get("q") or "")
    page = Paginator(releases, PAGE_SIZE).get_page(request.GET.get("page"))
    tag = _ui_tag()
    rows = [{"release": release, "shown": _shown(release, tag), "state": STATE_LABELS[State(release.state)],
             "languages": sorted(loc.language_id for loc in release.localizations.all()),
             "has_report": release.state in REPORTED_STATES}
            for release in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workspace/home.html", {
        "membership": membership, "form": form, "page": page, "rows": rows, "zone": _zone(request),
        "query": query.urlencode(), "can_publish": membership.role == Role.ISSUER_ADMIN,
    })


def _initial(release: Release, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    original = release.localizations.filter(language=release.original_language).first()
    initial: dict[str, Any] = {
        "kind": release.kind, "original_language": release.original_language_id,
        "headline": original.headline if original else "", "summary": original.summary if original else "",
        "body_html": original.body_html if original else "", "dateline": release.dateline,
        "sectors": [sector.slug for sector in release.sectors.all()],
        "countries": [country.code for country in release.countries.all()],
        "regions": [region.slug for region in release.regions.all()],
        "languages": [language.code for language in release.languages.all()],
        "timing": "embargo" if release.embargo_at else "approval", "time_zone": str(zone.key),
    }
    if release.embargo_at:
        initial["embargo_local"] = release.embargo_at.astimezone(zone).replace(tzinfo=None)
    for index, contact in enumerate(release.contacts[:CONTACT_ROWS]):
        for key in ("name", "organization", "email", "phone"):
            initial[f"contact_{index}_{key}"] = contact.get(key, "")
    return initial


def release_input(data: dict[str, Any]) -> services.ReleaseInput:
    contacts = [{key: data.get(f"contact_{index}_{key}") or "" for key in ("name", "organization", "email", "phone")}
                for index in range(CONTACT_ROWS)]
    embargo = data.get("embargo_at") if data["timing"] == "embargo" else None
    return services.ReleaseInput(
        kind=data["kind"], original_language=data["original_language"], sectors=data["sectors"],
        countries=data["countries"], regions=data["regions"], languages=data["languages"],
        embargo_at=embargo, clear_embargo=embargo is None, dateline=data["dateline"],
        contacts=[contact for contact in contacts if contact["name"] or contact["email"]],
        localizations=[services.LocalizationInput(language=data["original_language"], headline=data["headline"],
                                                  summary=data["summary"], body_html=data["body_html"])],
    )


def _compose(request: HttpRequest, membership: Membership, form: ReleaseForm, release: Release | None,
             status: int = 200, image_form: ImageForm | None = None,
             reply_form: ReplyForm | None = None) -> HttpResponse:
    zone = _zone(request)
    context: dict[str, Any] = {"membership": membership, "form": form, "release": release, "zone": zone,
                               "reach_url": reverse("workspace:reach")}
    if release is not None:
        context |= _release_context(release, membership, zone)
        context |= {"images": release_images(release=release), "image_form": image_form or ImageForm(),
                    "reply_form": reply_form or ReplyForm()}
    return render(request, "workspace/compose.html", context, status=status)


def _release_context(release: Release, membership: Membership, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    tag = _ui_tag()
    localizations = sorted(release.localizations.all(), key=lambda loc: loc.language.position)
    present = {loc.language_id for loc in localizations}
    addable = [(language.code, language_labels(language.code, language.name)[tag])
               for language in Language.objects.filter(first_class=True).order_by("position")
               if language.code not in present]
    admin = membership.role == Role.ISSUER_ADMIN
    return {
        "state": STATE_LABELS[State(release.state)],
        "kind_label": KIND_LABELS.get(release.kind, release.kind),
        "editable": release.state in services.ISSUER_EDITABLE,
        "can_submit": release.state in services.ISSUER_EDITABLE,
        "can_publish": admin and release.state == State.APPROVED,
        "can_unschedule": admin and release.state == State.SCHEDULED,
        "has_report": release.state in REPORTED_STATES,
        "changes_requested": release.state == State.CHANGES_REQUESTED,
        "localizations": [{"localization": loc, "name": language_labels(loc.language_id, loc.language.name)[tag]}
                          for loc in localizations],
        "addable": addable,
        "translation_jobs": [{**job, "name": language_labels(job["language"], job["language"])[tag],
                              "state_label": JOB_LABELS.get(job["state"], job["state"])}
                             for job in translation_progress(release=release)],
        "embargo_local": release.embargo_at.astimezone(zone) if release.embargo_at else None,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@issuer_required
def release_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    if request.method != "POST":
        zone = _zone(request)
        return _compose(request, membership, ReleaseForm(initial={
            "time_zone": str(zone.key), "original_language": tag_for_django_code(request.LANGUAGE_CODE)}), None)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _compose(request, membership, form, None, status=422)
    try:
        outcome = services.release_create(by=membership, data=release_input(form.cleaned_data))
    except (InvalidInput, TooLarge, NotAllowed) as error:
        _refused(request, error)
        return _compose(request, membership, form, None, status=422)
    user_time_zone_set(user=request.user, time_zone=form.cleaned_data["time_zone"])  # type: ignore[arg-type]
    messages.success(request, _("The draft is saved."))
    _removed(request, outcome.removed_html)
    return HttpResponseRedirect(reverse("workspace:release", args=[outcome.release.pk]))


@require_http_methods(["GET", "HEAD", "POST"])
@issuer_required
def release_edit(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    release = _release(membership, release_id)
    if request.method != "POST":
        return _compose(request, membership, ReleaseForm(initial=_initial(release, _zone(request))), release)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _compose(request, membership, form, release, status=422)
    try:
        outcome = services.release_update(release=release, by=membership, data=release_input(form.cleaned_data))
    except (InvalidInput, TooLarge, IllegalTransition, NotAllowed, NotFound) as error:
        _refused(request, error)
        return _compose(request, membership, form, _release(membership, release_id), status=422)
    user_time_zone_set(user=request.user, time_zone=form.cleaned_data["time_zone"])  # type: ignore[arg-type]
    messages.success(request, _("Your changes are saved."))
    _removed(request, outcome.removed_html)
    return HttpResponseRedirect(reverse("workspace:release", args=[release.pk]))


def compose_page(request: HttpRequest, membership: Membership, release_id: uuid.UUID, *, image_form: ImageForm,
                 status: int) -> HttpResponse:
    """The release's page with the image form as it was sent, for the images' views to answer with."""
    release = _release(membership, release_id)
    return _compose(request, membership, ReleaseForm(initial=_initial(release, _zone(request))), release,
                    status=status, image_form=image_form)


def _transition(request: HttpRequest, membership: Membership, release_id: uuid.UUID, action: str) -> HttpResponse:
    release = _release(membership, release_id)
    try:
        if action == "publish":
            published = services.release_publish(release=release, by=membership)
            messages.success(request, _("Scheduled for its embargo.") if published.state == State.SCHEDULED
                             else _("Published."))
        else:
            services.release_unschedule(release=release, by=membership)
            messages.success(request, _("Unscheduled: it stays approved until you publish or schedule it again."))
    except (InvalidInput, IllegalTransition, NotAllowed, NotFound) as error:
        _refused(request, error)
    return HttpResponseRedirect(reverse("workspace:release", args=[release.pk]))


@require_POST
@issuer_required
def release_submit(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    """Submit, with the answer to a change request if there is one; a bad answer is shown beside its field."""
    release = _release(membership, release_id)
    reply_form = ReplyForm(request.POST)

    def again(status: int) -> HttpResponse:
        return _compose(request, membership, ReleaseForm(initial=_initial(release, _zone(request))), release,
                        status=status, reply_form=reply_form)

    if not reply_form.is_valid():
        return again(422)
    try:
        services.release_submit(release=release, by=membership, reply=reply_form.cleaned_data["reply"])
    except InvalidInput as error:
        if any(isinstance(item, dict) and item.get("where") == "reply" for item in error.details or []):
            reply_form.add_error("reply", error.message)
            return again(422)
        _refused(request, error)
        return HttpResponseRedirect(reverse("workspace:release", args=[release.pk]))
    except (IllegalTransition, NotAllowed, NotFound) as error:
        _refused(request, error)
        return HttpResponseRedirect(reverse("workspace:release", args=[release.pk]))
    messages.success(request, _("Submitted: the wire's editors will review it."))
    return HttpResponseRedirect(reverse("workspace:release", args=[release.pk]))


@require_POST
@issuer_required
def release_publish(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    return _transition(request, membership, release_id, "publish")


@require_POST
@issuer_required
def release_unschedule(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    return _transition(request, membership, release_id, "unschedule")


@require_safe
@issuer_required
def reach(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The live reach estimate of the choices on the compose page (an htmx partial)."""
    form = ReleaseForm()
    choices: dict[str, list[str]] = {}
    try:
        for name in ("sectors", "countries", "regions", "languages"):
            # None chosen is a choice here ("any"), not the missing answer the compose form refuses.
            chosen = request.GET.getlist(name)
            choices[name] = form.fields[name].clean(chosen) if chosen else []
        original = str(form.fields["original_language"].clean(request.GET.get("original_language", "")))
        kind = str(form.fields["kind"].clean(request.GET.get("kind", "")))
    except ValidationError:
        return render(request, "workspace/reach.html", {"invalid": True}, status=422)
    estimate = target_reach(target_from(
        sectors=choices["sectors"], countries=choices["countries"], regions=choices["regions"],
        languages=choices["languages"], available=sorted({original, *choices["languages"]}), original=original,
        kind=kind, issuer_id=membership.organization_id))
    tag = _ui_tag()
    names = {language.code: language_labels(language.code, language.name)[tag]
             for language in Language.objects.filter(code__in=estimate.by_language)}
    by_language = sorted(((names.get(code, code), count) for code, count in estimate.by_language.items()),
                         key=lambda pair: -pair[1])
    return render(request, "workspace/reach.html", {"reach": estimate, "by_language": by_language})


@require_http_methods(["GET", "HEAD", "POST"])
@issuer_required
def localization_edit(request: HttpRequest, membership: Membership, release_id: uuid.UUID,
                      language: str) -> HttpResponse:
    """A translation by hand, beside the original; a machine draft can be accepted here too."""
    release = _release(membership, release_id)
    target = Language.objects.filter(code=language, first_class=True).first()
    if target is None or language == release.original_language_id:
        raise Http404("No such language for a translation.")
    original = release.localizations.filter(language=release.original_language).first()
    if original is None:
        raise Http404("The release has no original text yet.")
    existing = release.localizations.filter(language=target).first()
    images = release_images(release=release)
    status = 200
    if request.method == "POST":
        form = LocalizationForm(request.POST, images=images)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The text and its images' alternative texts are kept together, or neither is.
                with transaction.atomic():
                    outcome = services.release_update(release=release, by=membership, data=services.ReleaseInput(
                        localizations=[services.LocalizationInput(
                            language=language, headline=data["headline"], summary=data["summary"],
                            body_html=data["body_html"], translated_from=release.original_language_id,
                            origin=Origin.HUMAN, translator=data["translator"])]))
                    if images:
                        release_image_alts_set(by=membership, release_id=release.pk, language=language,
                                               alts=form.alts())
            except InvalidInput as error:
                where = error.details.get("field") if isinstance(error.details, dict) else None
                if where in form.fields:
                    form.add_error(where, error.message)
                else:
                    _refused(request, error)
            except (TooLarge, IllegalTransition, NotAllowed, NotFound) as error:
                _refused(request, error)
            else:
                messages.success(request, _("The translation is saved."))
                _removed(request, outcome.removed_html)
                return HttpResponseRedirect(reverse("workspace:release", args=[release.pk]))
        status = 422
    else:
        initial = {f"alt_{image.pk}": image.alt.get(language, "") for image in images}
        if existing:
            initial |= {"headline": existing.headline, "summary": existing.summary,
                        "body_html": existing.body_html, "translator": existing.translator}
        form = LocalizationForm(initial=initial, images=images)
    tag = _ui_tag()
    update = waiting_update(release=release, language=target.code) if release.state in PUBLIC_STATES else None
    if update is not None:
        # Shown as it would go out: the draft passes the same sanitizer as everything the wire stores.
        update["body_html"] = sanitize_html(str(update.get("body_html", ""))).html
    return render(request, "workspace/localization.html", {
        "membership": membership, "release": release, "form": form, "original": original, "existing": existing,
        "language": target, "language_name": language_labels(target.code, target.name)[tag],
        "original_name": language_labels(original.language_id, original.language.name)[tag],
        "editable": release.state in services.ISSUER_EDITABLE,
        "can_accept": (existing is not None and existing.origin in (Origin.MACHINE, Origin.HUMAN)
                       and existing.issuer_acceptance == "pending" and membership.role == Role.ISSUER_ADMIN),
        "update": update, "can_accept_update": update is not None and membership.role == Role.ISSUER_ADMIN,
    }, status=status)


@require_POST
@issuer_required
def localization_accept_view(request: HttpRequest, membership: Membership, release_id: uuid.UUID,
                             language: str) -> HttpResponse:
    release = _release(membership, release_id)
    try:
        accepted = localization_accept(release=release, language=language, by=membership,
                                       unreviewed=request.POST.get("unreviewed") == "1")
        messages.success(request, _("The translation is accepted.") if accepted.origin == Origin.HUMAN
                         else _("The machine translation is accepted."))
    except (InvalidInput, IllegalTransition, NotAllowed, NotFound) as error:
        _refused(request, error)
    return HttpResponseRedirect(reverse("workspace:release", args=[release.pk]))


@require_POST
@issuer_required
def translations_request(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    """Asks the worker for machine drafts; they arrive as localizations that wait for an admin's acceptance."""
    release = _release(membership, release_id)
    try:
        jobs = translation_request(release=release, languages=request.POST.getlist("languages"), by=membership)
        messages.success(request, _("Machine translation requested: %(languages)s.") % {
            "languages": ", ".join(job.language_id for job in jobs)})
    except (InvalidInput, IllegalTransition, NotAllowed, NotFound) as error:
        _refused(request, error)
    return HttpResponseRedirect(reverse("workspace:release", args=[release.pk]))


def _upcoming(release: Release) -> Upcoming:
    return Upcoming(number=release.version + 1, action=Action.PUBLISH, at=release.embargo_at or timezone.now())


@require_safe
@issuer_required
def preview(request: HttpRequest, membership: Membership, release_id: uuid.UUID, language: str) -> HttpResponse:
    """What goes out in one language: the newsroom page (linked), the e-mail's subject, HTML and text, ninjs."""
    release = _release(membership, release_id)
    languages = sorted(release.localizations.all(), key=lambda loc: loc.language.position)
    if language not in {loc.language_id for loc in languages}:
        raise Http404("This release has no text in that language.")
    upcoming = _upcoming(release)
    email = render_email(release, upcoming.number, Action.PUBLISH, language)
    ninjs = get_format("ninjs").render(release=release, version=upcoming.number, language=language,
                                       action=Action.PUBLISH, upcoming=upcoming)
    tag = _ui_tag()
    return render(request, "workspace/preview.html", {
        "membership": membership, "release": release, "language": language, "item": render_item(release, language),
        "languages": [(loc.language_id, language_labels(loc.language_id, loc.language.name)[tag]) for loc in languages],
        "email": email, "ninjs": json.dumps(json.loads(ninjs), ensure_ascii=False, indent=2),
    })


# The e-mail's HTML, for the sandboxed frame of the preview page only: e-mail carries its styles inline, so they
# may apply there; nothing else may (no script, no request to anywhere).
@csp({"default-src": [NONE], "style-src": [UNSAFE_INLINE], "img-src": ["data:"], "base-uri": [NONE],
      "form-action": [NONE], "frame-ancestors": [SELF], "sandbox": [True]})
@require_safe
@xframe_options_sameorigin
@issuer_required
def preview_email_html(request: HttpRequest, membership: Membership, release_id: uuid.UUID,
                       language: str) -> HttpResponse:
    release = _release(membership, release_id)
    if not release.localizations.filter(language_id=language).exists():
        raise Http404("This release has no text in that language.")
    upcoming = _upcoming(release)
    html = render_email(release, upcoming.number, Action.PUBLISH, language)["html"]
    return HttpResponse(html, content_type="text/html; charset=utf-8")

