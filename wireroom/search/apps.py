from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "wireroom.search"

    def ready(self) -> None:
        from wireroom.releases import indexing
        from wireroom.search import services
        from wireroom.search.backends import fts5, postgres  # noqa: F401

        # Importing a backend package registers it; the lifecycle keeps the index through this port, so
        # releases never imports search.
        indexing.register(services)
