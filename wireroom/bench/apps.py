from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "wireroom.bench"

    def ready(self) -> None:
        # Importing a benchmark module registers it. They import their heavy dependencies only when they run.
        from wireroom.bench import console, fanout, formats, imports, pages, report, search, stream, translate  # noqa: F401
