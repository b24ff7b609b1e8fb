"""factory_boy factories for locations, products and price rules."""

from decimal import Decimal

import factory

from availability.models import Location, PriceRule, Product


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    country = "ni"
    city = factory.Sequence(lambda n: f"Ciudad {n}")
    active = True


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"AZ{n:05d}")
    description = factory.Sequence(lambda n: f"Producto {n}")
    price = Decimal("10.00")


class PriceRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceRule

    product = factory.SubFactory(ProductFactory)
    location = factory.SubFactory(LocationFactory)
    min_condition = 500
    max_condition = 599
    variation = Decimal("1.50")
