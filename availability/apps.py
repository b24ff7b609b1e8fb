"""The NicaVentas availability app: locations, products, price rules and weather-driven quotes."""

from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "availability"
    verbose_name = "NicaVentas availability"

    def ready(self):
        from availability import schema  # noqa: F401 - registers the OpenAPI auth extension
