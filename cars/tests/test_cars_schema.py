"""The OpenAPI schema describes the cars envelopes exactly as the API answers them."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    response = api_client.get(
        "/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    return response.json()


def body_schema(operation, code):
    return operation["responses"][code]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]


def test_list_documents_the_cars_envelope_and_query_parameters(schema):
    operation = schema["paths"]["/cars/"]["get"]
    envelope = schema["components"]["schemas"][body_schema(operation, "200")]

    assert envelope["required"] == ["message", "count", "next", "previous", "cars"]
    assert envelope["properties"]["cars"]["items"] == {"$ref": "#/components/schemas/Car"}
    assert {p["name"] for p in operation["parameters"]} >= {
        "page",
        "page_size",
        "name",
        "model",
        "doors",
        "search",
        "ordering",
    }
    paging = {p["name"]: p["schema"] for p in operation["parameters"] if p["name"] in ("page", "page_size")}
    assert paging == {
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1},
    }


@pytest.mark.parametrize(
    ("path", "method", "code", "component"),
    [
        ("/cars/", "post", "201", "CarEnvelope"),
        ("/cars/{id}/", "get", "200", "CarEnvelope"),
        ("/cars/{id}/", "put", "200", "CarEnvelope"),
        ("/cars/{id}/", "patch", "200", "CarEnvelope"),
        ("/cars/{id}/", "delete", "200", "Message"),
    ],
)
def test_each_operation_documents_its_envelope_and_errors(schema, path, method, code, component):
    operation = schema["paths"][path][method]

    assert body_schema(operation, code) == component
    assert {"400", "401", "404"} <= set(operation["responses"])
    assert body_schema(operation, "404") == "Error"


def test_envelope_components(schema):
    components = schema["components"]["schemas"]

    assert components["CarEnvelope"]["required"] == ["car", "message"]
    assert components["CarEnvelope"]["properties"]["car"] == {"$ref": "#/components/schemas/Car"}
    assert components["Message"]["required"] == ["message"]
    car = components["Car"]["properties"]
    assert car["doors"] == {"type": "integer", "maximum": 10, "minimum": 0}
    assert (car["name"]["minLength"], car["name"]["maxLength"]) == (1, 100)
    assert components["CarRequest"]["required"] == ["doors", "model", "name"]
    assert "required" not in components["PatchedCarRequest"]
