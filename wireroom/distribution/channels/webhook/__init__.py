"""Webhook delivery to outlets and terminal partners, signed per Standard Webhooks. See docs/channels-webhook.md."""

from __future__ import annotations

from wireroom.distribution.channels.registry import ChannelSpec, Targeting, register
from wireroom.distribution.channels.webhook.channel import WebhookChannel
from wireroom.distribution.channels.webhook.payload import keys, render
from wireroom.distribution.targeting import webhook_recipients

register(ChannelSpec(
    name="webhook", factory=WebhookChannel, keys=keys, render=render,
    targeting=Targeting(recipients=webhook_recipients, column="endpoint", key_prefix="e", format="format",
                        country="outlet__country_id"),
    settings=("WEBHOOK_TIMEOUT_SECONDS", "WEBHOOK_BREAKER_FAILURES", "WEBHOOK_BREAKER_SECONDS",
              "OUTBOUND_ALLOW_PRIVATE"),
))
