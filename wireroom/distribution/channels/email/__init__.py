"""The e-mail channel: personalized, DKIM-signed messages to journalists over a pool of SMTP connections (or
into a local outbox), with one-click unsubscribe, a preference centre and bounce handling.

Importing the package registers the channel; the distribution app imports it when Django starts.
"""

from wireroom.distribution.channels.email.channel import EmailChannel
from wireroom.distribution.channels.email.render import keys, render
from wireroom.distribution.channels.registry import ChannelSpec, register

register(ChannelSpec(name="email", factory=EmailChannel, keys=keys, render=render))

__all__ = ["EmailChannel"]
