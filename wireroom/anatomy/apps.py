from django.apps import AppConfig


class AnatomyConfig(AppConfig):
    name = "wireroom.anatomy"
