"""SFTP drops for terminal partners: each version as files on the partner's own server. See docs/channels-sftp.md."""

from __future__ import annotations

from wireroom.distribution.channels.registry import ChannelSpec, Targeting, register
from wireroom.distribution.channels.sftp.channel import SftpChannel
from wireroom.distribution.channels.sftp.files import keys, render
from wireroom.distribution.targeting import sftp_recipients

register(ChannelSpec(
    name="sftp", factory=SftpChannel, keys=keys, render=render,
    targeting=Targeting(recipients=sftp_recipients, column="sftp_endpoint", key_prefix="s", format="format",
                        country="outlet__country_id"),
    settings=("WEBHOOK_BREAKER_FAILURES", "WEBHOOK_BREAKER_SECONDS", "OUTBOUND_ALLOW_PRIVATE", "DATA_DIR"),
))
