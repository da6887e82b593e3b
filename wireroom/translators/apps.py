from django.apps import AppConfig


class TranslatorsConfig(AppConfig):
    name = "wireroom.translators"
    label = "translators"
    verbose_name = "Translators' queue"
