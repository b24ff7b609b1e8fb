"""The Django admin lists cars with search and filters."""

import pytest

from cars.tests.factories import CarFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "s3cret-pass-123")
    client.force_login(admin)
    return client


def test_changelist_searches_name_and_model(admin_client_logged_in):
    CarFactory(name="Pink Rose", model="Audi Q5")
    CarFactory(name="Black Bullet II", model="Accord")

    response = admin_client_logged_in.get("/admin/cars/car/", {"q": "audi"})

    assert response.status_code == 200
    assert b"Pink Rose" in response.content
    assert b"Black Bullet II" not in response.content


def test_changelist_filters_by_doors(admin_client_logged_in):
    CarFactory(name="Coupe", doors=2)
    CarFactory(name="Sedan", doors=4)

    response = admin_client_logged_in.get("/admin/cars/car/", {"doors": 2})

    assert response.status_code == 200
    assert b"Coupe" in response.content
    assert b"Sedan" not in response.content


def test_change_form_opens(admin_client_logged_in):
    car = CarFactory()

    assert admin_client_logged_in.get(f"/admin/cars/car/{car.id}/change/").status_code == 200
