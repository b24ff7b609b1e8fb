"""Reads of cars are public; writes need a token or a browser session."""

import pytest

from cars.models import Car
from cars.tests.factories import CarFactory

pytestmark = pytest.mark.django_db

BODY = {"name": "Pink Rose", "model": "Audi Q5", "doors": 4}


def test_anonymous_reads_are_allowed(api_client):
    car = CarFactory()

    assert api_client.get("/cars").status_code == 200
    assert api_client.get(f"/cars/{car.id}").status_code == 200


@pytest.mark.parametrize(
    ("method", "detail"), [("post", False), ("put", True), ("patch", True), ("delete", True)]
)
def test_anonymous_writes_answer_401_in_error_shape(api_client, method, detail):
    car = CarFactory(name="Untouched")
    path = f"/cars/{car.id}" if detail else "/cars"

    response = getattr(api_client, method)(path, BODY, format="json")

    assert response.status_code == 401
    assert response.json() == {
        "status": "UNAUTHORIZED",
        "message": "Authentication credentials were not provided.",
    }
    assert response["WWW-Authenticate"] == "Token"
    assert list(Car.objects.values_list("name", flat=True)) == ["Untouched"]


def test_wrong_token_answers_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.post("/cars", BODY, format="json")

    assert response.status_code == 401
    assert response.json() == {"status": "UNAUTHORIZED", "message": "Invalid token."}


def test_wrong_token_answers_401_on_a_public_read_too(api_client):
    car = CarFactory()
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    for path in ("/cars", f"/cars/{car.id}"):
        response = api_client.get(path)
        assert response.status_code == 401
        assert response.json() == {"status": "UNAUTHORIZED", "message": "Invalid token."}


def test_token_write_is_allowed(auth_client):
    assert auth_client.post("/cars", BODY, format="json").status_code == 201


def test_session_write_is_allowed(client, user):
    client.force_login(user)

    response = client.post("/cars", BODY, content_type="application/json")

    assert response.status_code == 201
