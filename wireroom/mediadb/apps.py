from django.apps import AppConfig


class MediadbConfig(AppConfig):
    name = "wireroom.mediadb"
