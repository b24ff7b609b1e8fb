"""factory_boy factories of the cars app."""

import factory

from cars.models import Car


class CarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Car

    name = factory.Sequence(lambda n: f"Car {n}")
    model = factory.Iterator(["Corolla", "Civic", "Golf", "Model 3", "Hilux"])
    doors = factory.Iterator([2, 4, 5])
