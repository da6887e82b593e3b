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
from wireroom.trust.jose import public_key_from_text
from wireroom.trust.models import IssuerKey, SigningPolicy


def _operator(request: HttpRequest) -> Membership:
    by = next((m for m in memberships_of(user_id=request.user.pk) if m.is_wire_staff), None)
    if by is None:
        raise NotAllowed("Only the wire's editors and admins manage issuers' keys here.")
    return by


class KeyForm(forms.ModelForm[IssuerKey]):
    public_key = forms.CharField(widget=forms.Textarea, max_length=2000,
                                 help_text="Ed25519: PEM, a public JWK or the 32 raw bytes in base64url")

    class Meta:
        model = IssuerKey
        fields = ["organization", "label", "public_key"]

    def clean_public_key(self) -> str:
        value: str = self.cleaned_data["public_key"]
        try:
            public_key_from_text(value)
        except WireroomError as exc:
            raise forms.ValidationError(exc.message) from None
        return value


@admin.register(IssuerKey)
class IssuerKeyAdmin(admin.ModelAdmin[IssuerKey]):
    form = KeyForm
    list_display = ["kid", "organization", "label", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["kid", "organization__name", "label"]
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: IssuerKey, form: forms.ModelForm[IssuerKey],
                   change: bool) -> None:
        key = services.issuer_key_register(by=_operator(request), organization=obj.organization,
                                           public_key=form.cleaned_data["public_key"], label=obj.label)
        obj.pk = key.pk
        obj.refresh_from_db()

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[IssuerKey]) -> None:
        by = _operator(request)
        for key in queryset.filter(revoked_at__isnull=True):
            services.issuer_key_revoke(by=by, key=key)
            messages.info(request, f"Revoked {key.kid}.")


@admin.register(SigningPolicy)
class SigningPolicyAdmin(admin.ModelAdmin[SigningPolicy]):
    list_display = ["organization", "require_signatures", "updated_at"]
    fields = ["organization", "require_signatures"]

    def save_model(self, request: HttpRequest, obj: SigningPolicy, form: forms.ModelForm[SigningPolicy],
                   change: bool) -> None:
        services.signing_policy_set(by=_operator(request), organization=obj.organization,
                                    require_signatures=obj.require_signatures)
