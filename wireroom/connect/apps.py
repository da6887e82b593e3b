from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "wireroom.connect"
    label = "connect"
    verbose_name = "Outlets' and partners' connections"
