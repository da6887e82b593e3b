from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from wireroom.accounts.models import User
from wireroom.audit.services import audit_record_many
from wireroom.distribution import ledger
from wireroom.distribution.models import Delivery, HubSubscription


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["id", "release", "version", "action", "channel", "recipient_key", "language", "state",
                    "attempts", "next_attempt_at", "receiver_ref", "last_error"]
    list_filter = ["channel", "state", "action"]
    search_fields = ["release__id", "recipient_key", "contact__email", "endpoint__url"]
    list_select_related = ["release"]
    raw_id_fields = ["release", "contact", "endpoint", "sftp_endpoint", "hub_subscription"]
    actions = ["replay"]

    @admin.action(description="Replay the selected failed deliveries")
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        chosen = list(queryset.values_list("pk", flat=True))
        done = ledger.replay(delivery_ids=chosen)
        # Audited as the console's replays are, one entry per chosen row, naming the user who asked.
        summary = {"via": "admin", "queued": done.queued, "withdrawn": done.withdrawn, "superseded": done.superseded}
        audit_record_many(actor=request.user if isinstance(request.user, User) else None, action="delivery.replay",
                          targets=[(Delivery(pk=pk), summary) for pk in chosen])
        level = messages.WARNING if done.withdrawn or done.superseded else messages.SUCCESS
        self.message_user(request, done.summary(), level)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(HubSubscription)
class HubSubscriptionAdmin(admin.ModelAdmin[HubSubscription]):
    """WebSub subscribers, for the operator to look at. They subscribe and unsubscribe themselves, verified."""

    list_display = ["id", "topic", "callback", "expires_at", "pending_mode", "last_error"]
    list_filter = ["pending_mode"]
    search_fields = ["topic", "callback"]
    exclude = ["secret", "pending_secret"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: HubSubscription | None = None) -> bool:
        return False
