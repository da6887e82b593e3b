from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wireroom.api"

    def ready(self) -> None:
        from wireroom.api.grip import channels_prune
        from wireroom.releases import retention

        # The stream's channels go with the event log's pruning: one schedule, in the worker's clock.
        retention.register("stream channels", channels_prune)
