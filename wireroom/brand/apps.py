from django.apps import AppConfig


class BrandConfig(AppConfig):
    name = "wireroom.brand"
