"""Issuers' signing keys and policies in the admin. Registration and revocation go through the trust services,
as the API's do, so the key checks and the audit entry apply here too. Keys are never deleted: old signatures
name them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from wireroom.accounts.models import Membership
from wireroom.accounts.selectors import memberships_of
from wireroom.lib.errors import NotAllowed, WireroomError
from wireroom.trust import services
from wireroom.trust.jose import b64url, public_key_from_text, raw_public_key, thumbprint
from wireroom.trust.models import IssuerKey, SigningPolicy


def _operator_or_none(request: HttpRequest) -> Membership | None:
    return next((m for m in memberships_of(user_id=request.user.pk) if m.is_wire_staff), None)


def _operator(request: HttpRequest) -> Membership:
    by = _operator_or_none(request)
    if by is None:
        raise NotAllowed("Only the wire's editors and admins manage issuers' keys here.")
    return by


class _WireStaffOnly:
    """Changes need a wire membership, which the services take as the actor (a superuser alone has none)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _operator_or_none(request) is not None and super().has_add_permission(request)  # type: ignore[misc]


class KeyForm(forms.ModelForm[IssuerKey]):
    # Not the model's `public_key` (the raw key the service derives): what the operator pastes, in any form.
    key = forms.CharField(widget=forms.Textarea, max_length=2000,
                                 help_text="Ed25519: PEM, a public JWK or the 32 raw bytes in base64url")

    class Meta:
        model = IssuerKey
        fields = ["organization", "label"]

    def clean_key(self) -> str:
        # The service checks all this again when it saves; checking here puts the reason on the form.
        value: str = self.cleaned_data["key"]
        try:
            kid = thumbprint(b64url(raw_public_key(public_key_from_text(value))))
        except WireroomError as exc:
            raise forms.ValidationError(exc.message) from None
        if IssuerKey.objects.filter(kid=kid).exists():
            raise forms.ValidationError(f"The key {kid} is registered already.")
        return value


@admin.register(IssuerKey)
class IssuerKeyAdmin(_WireStaffOnly, admin.ModelAdmin[IssuerKey]):
    form = KeyForm
    list_display = ["kid", "organization", "label", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["kid", "organization__name", "label"]
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A key is registered or revoked, never edited: its kid is what signatures name.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: IssuerKey, form: forms.ModelForm[IssuerKey],
                   change: bool) -> None:
        key = services.issuer_key_register(by=_operator(request), organization=obj.organization,
                                           public_key=form.cleaned_data["key"], label=obj.label)
        obj.pk = key.pk
        obj.refresh_from_db()

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[IssuerKey]) -> None:
        by = _operator(request)
        for key in queryset.filter(revoked_at__isnull=True):
            services.issuer_key_revoke(by=by, key=key)
            messages.info(request, f"Revoked {key.kid}.")


@admin.register(SigningPolicy)
class SigningPolicyAdmin(_WireStaffOnly, admin.ModelAdmin[SigningPolicy]):
    list_display = ["organization", "require_signatures", "updated_at"]
    fields = ["organization", "require_signatures"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _operator_or_none(request) is not None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: SigningPolicy, form: forms.ModelForm[SigningPolicy],
                   change: bool) -> None:
        services.signing_policy_set(by=_operator(request), organization=obj.organization,
                                    require_signatures=obj.require_signatures)
