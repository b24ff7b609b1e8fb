"""The shared core: error shape, pagination, schema helpers, health and root views."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
