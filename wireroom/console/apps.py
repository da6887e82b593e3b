from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "wireroom.console"
    label = "console"
