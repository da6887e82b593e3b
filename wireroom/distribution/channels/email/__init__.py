"""The e-mail channel: personalized, DKIM-signed messages to journalists over a pool of SMTP connections (or
into a local outbox), with one-click unsubscribe, a preference centre and bounce handling.

Importing the package registers the channel; the distribution app imports it when Django starts.
"""

from wireroom.distribution.channels.email.channel import EmailChannel
from wireroom.distribution.channels.email.render import keys, render
from wireroom.distribution.channels.registry import ChannelSpec, Targeting, register
from wireroom.distribution.targeting import email_recipients

register(ChannelSpec(
    name="email", factory=EmailChannel, keys=keys, render=render,
    targeting=Targeting(recipients=email_recipients, column="contact", key_prefix="c", language="best_language",
                        person=True, country="outlet__country_id"),
    settings=("SMTP_URL", "SMTP_POOL_SIZE", "DKIM_KEY_FILE", "DKIM_SELECTOR", "EMAIL_EVENTS_TOKEN", "OUTBOX_KEEP"),
))

__all__ = ["EmailChannel"]
