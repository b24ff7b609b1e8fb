"""The Location table: one row per country and city whatever their case, on every database."""

import pytest
from django.db import IntegrityError

from availability.models import Location
from availability.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("country", "city"), [("ni", "Leon"), ("ni", "LEON"), ("NI", "leon")])
def test_the_same_location_in_another_case_is_refused_by_the_database(country, city):
    LocationFactory(country="ni", city="Leon")

    with pytest.raises(IntegrityError):
        Location.objects.create(country=country, city=city)


def test_country_is_stored_lower_case():
    location = LocationFactory(country="ES", city="Madrid")

    location.refresh_from_db()
    assert location.country == "es"
    assert str(location) == "Madrid (es)"
