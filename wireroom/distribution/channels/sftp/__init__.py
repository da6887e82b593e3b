"""SFTP drops for terminal partners: each version as files on the partner's own server. See docs/channels-sftp.md."""

from __future__ import annotations

from wireroom.distribution.channels.registry import ChannelSpec, register
from wireroom.distribution.channels.sftp.channel import SftpChannel
from wireroom.distribution.channels.sftp.files import keys, render

register(ChannelSpec(name="sftp", factory=SftpChannel, keys=keys, render=render))
