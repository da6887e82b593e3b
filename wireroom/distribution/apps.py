from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "wireroom.distribution"
