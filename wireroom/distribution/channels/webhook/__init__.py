"""Webhook delivery to outlets and terminal partners, signed per Standard Webhooks. See docs/channels-webhook.md."""

from __future__ import annotations

from wireroom.distribution.channels.registry import ChannelSpec, register
from wireroom.distribution.channels.webhook.channel import WebhookChannel
from wireroom.distribution.channels.webhook.payload import keys, render

register(ChannelSpec(name="webhook", factory=WebhookChannel, keys=keys, render=render))
