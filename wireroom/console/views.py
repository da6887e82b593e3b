"""The console's tables and records: outlets, terminal partners, contacts and subscriptions, each listed with
filters, search, sorting and paging, and the edits of one contact or outlet through the media database's
services. For the wire's staff only."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wireroom.accounts.models import Membership
from wireroom.console.access import staff_only
from wireroom.console.endpoints import endpoint_health
from wireroom.console.filters import ContactFilter, OutletFilter, SubscriptionFilter
from wireroom.console.forms import ContactForm, OutletForm
from wireroom.console.listing import configured
from wireroom.console.members import outlet_members
from wireroom.console.tables import ContactTable, OutletTable, SubscriptionTable
from wireroom.lib.errors import NotFound
from wireroom.mediadb import services
from wireroom.mediadb.models import Contact, ContactLanguage, ContactStatus, Outlet, OutletType
from wireroom.mediadb.selectors import wire_reach
from wireroom.subscriptions.models import Subscription


@require_safe
@staff_only
def home(request: HttpRequest, membership: Membership) -> HttpResponse:
    return render(request, "console/home.html", {
        "reach": wire_reach(),
        "suppressed": Contact.objects.exclude(status=ContactStatus.ACTIVE).count(),
        "subscriptions": Subscription.objects.filter(active=True).count(),
    })


def _contacts() -> QuerySet[Contact]:
    return Contact.objects.select_related("outlet").prefetch_related(
        Prefetch("contactlanguage_set", queryset=ContactLanguage.objects.order_by("rank", "pk")),
        "beats", "countries").order_by("name", "pk")


def _outlets() -> QuerySet[Outlet]:
    return Outlet.objects.prefetch_related("languages", "sectors").order_by("name", "pk")


def _listing(request: HttpRequest, *, template: str, filters: ContactFilter | OutletFilter | SubscriptionFilter,
             table_class: type[ContactTable | OutletTable | SubscriptionTable], **context: object) -> HttpResponse:
    """A filtered, sorted page of a table; a filter that does not validate shows its message and an empty page,
    with 400."""
    valid = filters.is_valid()
    rows = filters.qs if valid else filters.queryset.none()
    table = configured(table_class(rows), request)
    return render(request, template, {"filters": filters, "table": table, **context}, status=200 if valid else 400)


@require_safe
@staff_only
def contacts(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _listing(request, template="console/contacts.html", filters=ContactFilter(request.GET, _contacts()),
                    table_class=ContactTable)


@require_safe
@staff_only
def outlets(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _listing(request, template="console/outlets.html", filters=OutletFilter(request.GET, _outlets()),
                    table_class=OutletTable, partners=False)


@require_safe
@staff_only
def partners(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Terminal partners with the desktops they declare: the rows behind the boilerplate's reach."""
    partners = _outlets().filter(type=OutletType.TERMINAL_PARTNER)
    declared = partners.filter(active=True).aggregate(total=Sum("desktops"), count=Count("pk"))
    return _listing(request, template="console/outlets.html", filters=OutletFilter(request.GET, partners),
                    table_class=OutletTable, partners=True, declared=declared)


@require_safe
@staff_only
def subscriptions(request: HttpRequest, membership: Membership) -> HttpResponse:
    rows = Subscription.objects.select_related("contact", "outlet").prefetch_related(
        "sectors", "languages", "countries").order_by("-created_at", "-pk")
    return _listing(request, template="console/subscriptions.html", filters=SubscriptionFilter(request.GET, rows),
                    table_class=SubscriptionTable)


def _contact(contact_id: int) -> Contact:
    found = _contacts().filter(pk=contact_id).first()
    if found is None:
        raise Http404("No such contact.")
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def contact(request: HttpRequest, membership: Membership, contact_id: int) -> HttpResponse:
    record = _contact(contact_id)
    form = ContactForm(request.POST) if request.method == "POST" else ContactForm.of(record)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.contact_update(contact_id=record.pk, changes=form.changes(), by=membership.user)
        except NotFound:
            raise Http404("No such contact.") from None
        messages.success(request, f"Saved: {', '.join(changed)}." if changed else "Nothing to change.")
        return redirect("console:contact", contact_id=record.pk)
    return render(request, "console/contact.html", {
        "contact": record, "form": form, "consents": record.consent_records.all()[:20],
    }, status=400 if form.is_bound else 200)


def _outlet(outlet_id: int) -> Outlet:
    found = _outlets().select_related("country").filter(pk=outlet_id).first()
    if found is None:
        raise Http404("No such outlet.")
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def outlet(request: HttpRequest, membership: Membership, outlet_id: int) -> HttpResponse:
    record = _outlet(outlet_id)
    form = OutletForm(request.POST) if request.method == "POST" else OutletForm.of(record)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.outlet_update(outlet_id=record.pk, changes=form.changes(), by=membership.user)
        except NotFound:
            raise Http404("No such outlet.") from None
        messages.success(request, f"Saved: {', '.join(changed)}." if changed else "Nothing to change.")
        return redirect("console:outlet", outlet_id=record.pk)
    return render(request, "console/outlet.html", {
        "outlet": record, "form": form, "contacts": record.contacts.count(),
        "endpoints": endpoint_health(outlet=record), "members": outlet_members(record),
    }, status=400 if form.is_bound else 200)


@require_POST
@staff_only
def outlet_active(request: HttpRequest, membership: Membership, outlet_id: int) -> HttpResponse:
    wanted = request.POST.get("active")
    if wanted not in ("true", "false"):
        return render(request, "console/outlet.html", {
            "outlet": _outlet(outlet_id), "form": OutletForm.of(_outlet(outlet_id)),
            "endpoints": endpoint_health(outlet=_outlet(outlet_id)), "members": outlet_members(_outlet(outlet_id)),
            "active_error": "Say whether the outlet is to be active (true) or not (false).",
        }, status=400)
    try:
        changed = services.outlet_active_set(outlet_id=outlet_id, active=wanted == "true", by=membership.user)
    except NotFound:
        raise Http404("No such outlet.") from None
    if changed:
        messages.success(request, "Reactivated." if wanted == "true" else
                         "Deactivated: nothing is sent to it until it is reactivated.")
    return redirect("console:outlet", outlet_id=outlet_id)
