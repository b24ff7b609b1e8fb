"""The OpenAPI schema documents the Rollbar endpoints as they answer."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    return api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_items_and_reports_are_documented_with_rollbars_failures(schema):
    paths = schema["paths"]
    assert set(paths["/items/"]) == {"get", "post"}
    assert set(paths["/items/{item_id}/"]) - {"parameters"} == {"get", "put", "patch"}  # no DELETE
    assert set(paths["/reports/"]) == {"get", "post", "delete"}
    for path in ("/items/", "/items/{item_id}/", "/reports/"):
        for operation in (op for key, op in paths[path].items() if key != "parameters"):
            assert {"401", "502", "503", "504"} <= set(operation["responses"])
    assert set(paths["/items/"]["post"]["responses"]) >= {"202", "400"}
    assert set(paths["/reports/"]["post"]["responses"]) >= {"201"}
    assert list(paths["/items/"]["post"]["requestBody"]["content"]) == ["application/json"]


def test_options_lists_what_works_on_an_item(auth_client):
    response = auth_client.options("/items/1")
    assert response.status_code == 200
    assert "DELETE" not in response["Allow"]
    assert "PATCH" in response["Allow"]
