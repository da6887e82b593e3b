from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "wireroom.workspace"
    label = "workspace"
    verbose_name = "Issuer workspace"
