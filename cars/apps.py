"""The vehicle inventory: cars, their API and the seed_cars command."""

from django.apps import AppConfig


class CarsConfig(AppConfig):
    name = "cars"
    verbose_name = "Cars"
