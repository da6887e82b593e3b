"""Webhook endpoints in the admin. Every save goes through the subscriptions services, as the API's do, so the
SSRF check, the limits and the audit entry apply here too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect

from wireroom.accounts.models import Membership
from wireroom.accounts.selectors import memberships_of
from wireroom.lib.errors import NotAllowed, WireroomError
from wireroom.subscriptions import services
from wireroom.subscriptions.models import WebhookEndpoint


def _operator(request: HttpRequest) -> Membership | None:
    return next((m for m in memberships_of(user_id=request.user.pk) if m.is_wire_staff), None)


class EndpointForm(forms.ModelForm[WebhookEndpoint]):
    url = forms.URLField(max_length=500, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        # The service checks all this again when it saves; checking here puts the reason on the form.
        data = super().clean() or {}
        url, limit = data.get("url"), data.get("max_concurrency")
        if url is None or limit is None:
            return data
        try:
            if self.instance.pk is None:
                if data.get("outlet") is not None:
                    data["url"], _sectors = services.webhook_endpoint_check(outlet=data["outlet"], url=url,
                                                                            max_concurrency=limit)
            else:
                data["url"] = services.webhook_endpoint_check_change(
                    endpoint=self.instance, url=url, max_concurrency=limit, active=data.get("active")) or url
        except WireroomError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    form = EndpointForm
    list_display = ["id", "outlet", "url", "active", "max_concurrency", "failing_since", "disabled_reason"]
    list_filter = ["active"]
    search_fields = ["url", "outlet__name"]
    raw_id_fields = ["outlet"]
    readonly_fields = ["failing_since", "disabled_at", "disabled_reason", "created_at"]

    @method_decorator(csrf_protect)
    def changeform_view(self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # Unlike Django's, not one transaction around the whole view: the form resolves the URL, and a DNS lookup
        # must not hold SQLite's write lock. The services open their own transactions for the writes.
        response: HttpResponse = self._changeform_view(  # type: ignore[attr-defined]
            request, object_id, form_url, extra_context)
        return response

    def get_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> tuple[str, ...]:
        # The secrets never appear: a new one is shown once, when the endpoint is added.
        if obj is None:
            return ("outlet", "url", "max_concurrency")
        return ("url", "max_concurrency", "active", *self.readonly_fields)

    def _may_manage(self, request: HttpRequest) -> bool:
        return _operator(request) is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deactivate instead: the ledger keeps pointing at the endpoint.
        return False

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: forms.ModelForm[WebhookEndpoint],
                   change: bool) -> None:
        by = _operator(request)
        if by is None:
            raise NotAllowed("Only the wire's editors and admins manage delivery endpoints.")
        if change:
            services.webhook_endpoint_update(endpoint=obj, by=by, url=obj.url,
                                             max_concurrency=obj.max_concurrency, active=obj.active)
            obj.refresh_from_db()
            return
        created = services.webhook_endpoint_create(outlet=obj.outlet, url=obj.url, by=by,
                                                   max_concurrency=obj.max_concurrency)
        obj.pk = created.endpoint.pk
        obj.refresh_from_db()
        messages.warning(request, f"The endpoint's signing secret, shown this once: {created.secret}")
