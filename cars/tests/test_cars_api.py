"""The cars endpoints answer with the exact messages and envelopes of the contract."""

import pytest

from cars.models import Car
from cars.tests.factories import CarFactory

pytestmark = pytest.mark.django_db

PINK_ROSE = {"name": "Pink Rose", "model": "Audi Q5", "doors": 4}
BLACK_BULLET = {"name": "Black Bullet II", "model": "Accord", "doors": 4}


def test_create_answers_201_with_message_and_car(auth_client):
    response = auth_client.post("/cars", PINK_ROSE, format="json")

    assert response.status_code == 201
    car = Car.objects.get()
    assert response.json() == {
        "message": "car Pink Rose has been created successfully.",
        "car": {"id": car.id, **PINK_ROSE},
    }
    assert car.created_at is not None
    assert car.updated_at is not None


def test_list_answers_the_envelope_ordered_by_id(api_client):
    second, first = CarFactory(name="B"), CarFactory(name="A")

    response = api_client.get("/cars")

    assert response.status_code == 200
    assert response.json() == {
        "message": "success",
        "count": 2,
        "next": None,
        "previous": None,
        "cars": [
            {"id": second.id, "name": "B", "model": second.model, "doors": second.doors},
            {"id": first.id, "name": "A", "model": first.model, "doors": first.doors},
        ],
    }


def test_get_answers_success_and_the_car(api_client):
    car = CarFactory(**PINK_ROSE)

    response = api_client.get(f"/cars/{car.id}")

    assert response.status_code == 200
    assert response.json() == {"message": "success", "car": {"id": car.id, **PINK_ROSE}}


def test_put_replaces_the_car(auth_client):
    car = CarFactory(**PINK_ROSE)

    response = auth_client.put(f"/cars/{car.id}", BLACK_BULLET, format="json")

    assert response.status_code == 200
    assert response.json() == {
        "message": "car Black Bullet II successfully updated",
        "car": {"id": car.id, **BLACK_BULLET},
    }
    car.refresh_from_db()
    assert (car.name, car.model, car.doors) == ("Black Bullet II", "Accord", 4)


def test_patch_changes_only_the_fields_sent(auth_client):
    car = CarFactory(**PINK_ROSE)

    response = auth_client.patch(f"/cars/{car.id}", {"doors": 2}, format="json")

    assert response.status_code == 200
    assert response.json() == {
        "message": "car Pink Rose successfully updated",
        "car": {"id": car.id, "name": "Pink Rose", "model": "Audi Q5", "doors": 2},
    }


def test_delete_answers_200_with_message_and_removes_the_car(auth_client):
    car = CarFactory(**BLACK_BULLET)

    response = auth_client.delete(f"/cars/{car.id}")

    assert response.status_code == 200
    assert response.json() == {"message": "Car Black Bullet II successfully deleted."}
    assert not Car.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_unknown_id_answers_404_car_not_found(auth_client, method):
    response = getattr(auth_client, method)("/cars/42", BLACK_BULLET, format="json")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": "car 42 not found"}


@pytest.mark.parametrize("car_id", ["abc", "0", "-1", "1.5", "99999999999999999999999", str(2**63), "\u0661"])
def test_non_numeric_or_overflowing_id_answers_404_not_500(api_client, car_id):
    response = api_client.get(f"/cars/{car_id}")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": f"car {car_id} not found"}


def test_largest_64_bit_id_is_simply_not_found(auth_client):
    response = auth_client.delete(f"/cars/{2**63 - 1}")

    assert response.status_code == 404
    assert response.json()["message"] == f"car {2**63 - 1} not found"


@pytest.mark.parametrize("path", ["/cars/", "/cars"])
def test_list_and_create_work_with_and_without_trailing_slash(auth_client, path):
    assert auth_client.post(path, PINK_ROSE, format="json").status_code == 201
    assert auth_client.get(path).json()["count"] == Car.objects.count()


@pytest.mark.parametrize("suffix", ["", "/"])
def test_detail_methods_work_with_and_without_trailing_slash(auth_client, suffix):
    car = CarFactory()
    path = f"/cars/{car.id}{suffix}"

    assert auth_client.get(path).status_code == 200
    assert auth_client.put(path, BLACK_BULLET, format="json").status_code == 200
    assert auth_client.patch(path, {"doors": 3}, format="json").status_code == 200
    assert auth_client.delete(path).status_code == 200


def test_unsupported_method_answers_405_in_error_shape(auth_client):
    response = auth_client.delete("/cars")

    assert response.status_code == 405
    assert response.json() == {"status": "METHOD-NOT-ALLOWED", "message": 'Method "DELETE" not allowed.'}


def test_browser_gets_the_browsable_api(api_client):
    CarFactory(name="Visible Car")

    response = api_client.get("/cars", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Visible Car" in response.content
    assert b"Filters" in response.content  # the filter, search and ordering form
