from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "wireroom.search"

    def ready(self) -> None:
        from django.conf import settings
        from django.db import connection

        from wireroom.releases import indexing
        from wireroom.search import services
        from wireroom.search.backends import fts5, postgres  # noqa: F401
        from wireroom.search.backends.registry import spec_for

        # Importing a backend package registers it; the lifecycle keeps the index through this port, so
        # releases never imports search.
        indexing.register(services)
        # A backend made for another database is refused at start-up, not at the first publication.
        spec_for(settings.ENV["WIREROOM_SEARCH_BACKEND"], connection.vendor)
