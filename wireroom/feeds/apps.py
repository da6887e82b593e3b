from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "wireroom.feeds"

    def ready(self) -> None:
        from wireroom.distribution.channels.websub import topics
        from wireroom.feeds.hub import topic_document

        # The hub's deliveries carry the feed as it is now; distribution reads it through this port.
        topics.register(topic_document)
