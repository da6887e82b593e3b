from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "wireroom.desk"
    label = "desk"
    verbose_name = "Editorial desk"
