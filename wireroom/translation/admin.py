from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from wireroom.accounts.models import Membership, OrganizationKind, Role
from wireroom.translation.models import GlossaryTerm, JobState, TranslationJob, TranslatorLanguage


@admin.register(TranslationJob)
class TranslationJobAdmin(admin.ModelAdmin[TranslationJob]):
    """Where the operators see failed drafts and why; the drafts themselves are the releases' localizations."""

    list_display = ["id", "release", "language", "state", "attempts", "next_attempt_at", "leased_by", "last_error",
                    "finished_at"]
    list_filter = ["state", "language"]
    search_fields = ["release__id"]
    list_select_related = ["release"]
    actions = ["retry"]

    @admin.action(description="Try the selected failed jobs again")
    def retry(self, request: HttpRequest, queryset: QuerySet[TranslationJob]) -> None:
        count = queryset.filter(state=JobState.FAILED).update(
            state=JobState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="", finished_at=None)
        self.message_user(request, f"{count} failed translation jobs queued again.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin[GlossaryTerm]):
    """Read-only: issuers change their glossaries through the API, which audits each change."""

    list_display = ["issuer", "language", "term", "translation"]
    list_filter = ["language"]
    search_fields = ["issuer__name", "term"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TranslatorLanguage)
class TranslatorLanguageAdmin(admin.ModelAdmin[TranslatorLanguage]):
    """Where the operators assign the wire's translators (members of the wire with the translator role) their
    languages: a translator's queue holds only these."""

    list_display = ["membership", "language"]
    list_filter = ["language"]
    list_select_related = ["membership__user", "membership__organization"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Only the wire's translators have a queue: assigning a language to anyone else would do nothing.
        if db_field.name == "membership":
            kwargs["queryset"] = (Membership.objects.select_related("user", "organization")
                                  .filter(role=Role.TRANSLATOR, organization__kind=OrganizationKind.WIRE))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
