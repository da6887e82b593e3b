from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "wireroom.distribution"

    def ready(self) -> None:
        # Importing a channel package registers it.
        from wireroom.distribution.channels import email, webhook  # noqa: F401
