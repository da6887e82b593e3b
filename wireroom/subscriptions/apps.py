from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "wireroom.subscriptions"
