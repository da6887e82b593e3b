from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "wireroom.distribution"

    def ready(self) -> None:
        # Importing a channel package registers it.
        from wireroom.distribution import staging
        from wireroom.distribution.channels import email, sftp, webhook, websub  # noqa: F401
        from wireroom.releases import fanout

        # The lifecycle stages through this port, so releases never imports distribution.
        fanout.register(staging)
