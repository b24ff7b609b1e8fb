"""Bad car input answers 400 in the one error shape, with a message per field."""

import pytest

from cars.models import Car
from cars.tests.factories import CarFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Pink Rose", "model": "Audi Q5", "doors": 4}


def post(client, **changes):
    body = {**VALID, **changes}
    return client.post("/cars", {k: v for k, v in body.items() if v is not ...}, format="json")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field may not be blank."),
        ("name", "   ", "This field may not be blank."),
        ("name", "x" * 101, "Ensure this field has no more than 100 characters."),
        ("model", "", "This field may not be blank."),
        ("model", "y" * 101, "Ensure this field has no more than 100 characters."),
        ("name", None, "This field may not be null."),
        ("doors", -1, "Ensure this value is greater than or equal to 0."),
        ("doors", 11, "Ensure this value is less than or equal to 10."),
        ("doors", "abc", "A valid integer is required."),
        ("doors", 2.5, "A valid integer is required."),
        ("doors", None, "This field may not be null."),
        ("doors", "4", "A valid integer is required."),
        ("doors", True, "A valid integer is required."),
        ("name", 123, "Not a valid string."),
        ("model", ["Q5"], "Not a valid string."),
        ("name", "nul\u0000", "Null characters are not allowed."),
        ("name", ..., "This field is required."),
        ("model", ..., "This field is required."),
        ("doors", ..., "This field is required."),
    ],
)
def test_invalid_field_answers_400_with_its_message(auth_client, field, value, message):
    response = post(auth_client, **{field: value})

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "INVALID"
    assert body["errors"] == {field: [message]}
    assert body["message"] == f"Invalid input. {field}: {message}"
    assert not Car.objects.exists()


def test_boundaries_are_accepted(auth_client):
    assert post(auth_client, name="x", model="y" * 100, doors=0).status_code == 201
    assert post(auth_client, name="x" * 100, model="y", doors=10).status_code == 201


def test_unpaired_surrogate_answers_400_not_500(auth_client):
    body = b'{"name": "\\ud800", "model": "Audi Q5", "doors": 4}'

    response = auth_client.generic("POST", "/cars", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": ["Contains characters that are not valid Unicode (unpaired surrogates)."]
    }


def test_surrounding_spaces_are_trimmed_and_integral_floats_accepted(auth_client):
    response = post(auth_client, name="  Pink Rose ", doors=4.0)

    assert response.status_code == 201
    assert response.json()["car"]["name"] == "Pink Rose"
    assert response.json()["car"]["doors"] == 4


def test_html_form_posts_text_that_is_converted(client, user):
    client.force_login(user)

    response = client.post("/cars", {"name": "Pink Rose", "model": "Audi Q5", "doors": "4"})

    assert response.status_code == 201
    assert Car.objects.get().doors == 4


def test_every_invalid_field_is_reported_at_once(auth_client):
    response = auth_client.post("/cars", {}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": ["This field is required."],
        "model": ["This field is required."],
        "doors": ["This field is required."],
    }


def test_put_requires_all_fields(auth_client):
    car = CarFactory(doors=4)

    response = auth_client.put(f"/cars/{car.id}", {"name": "Only Name"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "model": ["This field is required."],
        "doors": ["This field is required."],
    }
    car.refresh_from_db()
    assert car.name != "Only Name"


def test_patch_validates_the_fields_sent(auth_client):
    car = CarFactory(doors=4)

    response = auth_client.patch(f"/cars/{car.id}", {"doors": 11}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"doors": ["Ensure this value is less than or equal to 10."]}
    car.refresh_from_db()
    assert car.doors == 4


def test_malformed_json_answers_400(auth_client):
    response = auth_client.generic("POST", "/cars", b'{"name": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"
    assert response.json()["message"].startswith("JSON parse error")


def test_unsupported_content_type_answers_415(auth_client):
    response = auth_client.generic("POST", "/cars", b"name=x", content_type="text/csv")

    assert response.status_code == 415
    assert response.json()["status"] == "UNSUPPORTED-MEDIA-TYPE"


def test_json_array_body_answers_400(auth_client):
    response = auth_client.post("/cars", [VALID], format="json")

    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"
    assert "non_field_errors" in response.json()["errors"]
