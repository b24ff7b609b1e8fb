from django.apps import AppConfig


class RollbarItemsConfig(AppConfig):
    name = "rollbar_items"
