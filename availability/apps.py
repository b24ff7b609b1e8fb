"""The NicaVentas availability app: locations, products, price rules and weather-driven quotes."""

from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "availability"
    verbose_name = "NicaVentas availability"
