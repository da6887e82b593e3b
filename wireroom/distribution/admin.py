from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from wireroom.distribution.models import Delivery, DeliveryState


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["id", "release", "version", "action", "channel", "recipient_key", "language", "state",
                    "attempts", "next_attempt_at", "receiver_ref", "last_error"]
    list_filter = ["channel", "state", "action"]
    search_fields = ["release__id", "recipient_key", "contact__email", "endpoint__url"]
    list_select_related = ["release"]
    raw_id_fields = ["release", "contact", "endpoint"]
    actions = ["replay"]

    @admin.action(description="Replay the selected failed deliveries")
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = queryset.filter(state=DeliveryState.FAILED).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
        self.message_user(request, f"{count} failed deliveries queued again.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
