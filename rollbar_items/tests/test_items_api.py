"""`/items` and `/items/<id>` over HTTP to the fake Rollbar: listing by pages, reading, creating, updating."""

import json

import pytest

from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN

pytestmark = pytest.mark.django_db


def rollbar_calls(fake, method=None):
    return [r for r in fake.state.requests if method is None or r["method"] == method]


def test_the_list_follows_rollbars_pages_with_absolute_links(auth_client, fake_rollbar):
    fake_rollbar.state.seed_items(count=250)

    first = auth_client.get("/items")
    assert first.status_code == 200
    body = first.json()
    assert (body["count"], body["page"], len(body["items"])) == (250, 1, 100)
    assert body["previous"] is None
    assert body["next"] == "http://testserver/items?page=2"

    second = auth_client.get(body["next"]).json()
    assert (second["page"], len(second["items"])) == (2, 100)
    assert second["previous"] == "http://testserver/items"
    assert second["next"] == "http://testserver/items?page=3"

    third = auth_client.get(second["next"]).json()
    assert (len(third["items"]), third["next"]) == (50, None)
    assert third["previous"] == "http://testserver/items?page=2"

    seen = [item["id"] for page in (body, second, third) for item in page["items"]]
    assert len(set(seen)) == 250
    assert [r["query"].get("page") for r in rollbar_calls(fake_rollbar)] == [["1"], ["2"], ["3"]]


def test_filters_are_passed_on_and_kept_in_the_links(auth_client, fake_rollbar):
    fake_rollbar.state.seed_items(count=120, level="critical", environment="staging")
    fake_rollbar.state.seed_items(count=30, level="info", environment="production")

    response = auth_client.get("/items/?level=critical&level=error&environment=staging&status=active")
    body = response.json()
    assert body["count"] == 120
    assert {item["level"] for item in body["items"]} == {"critical"}
    assert body["next"] == (
        "http://testserver/items/?environment=staging&level=critical&level=error&page=2&status=active"
    )
    sent = rollbar_calls(fake_rollbar)[0]["query"]
    assert sent == {
        "status": ["active"],
        "level": ["critical", "error"],
        "environment": ["staging"],
        "page": ["1"],
    }


def test_a_page_past_the_end_is_empty(auth_client, fake_rollbar):
    fake_rollbar.state.seed_items(count=3)
    body = auth_client.get("/items?page=5").json()
    assert body == {
        "count": 3,
        "page": 5,
        "next": None,
        "previous": "http://testserver/items?page=4",
        "items": [],
    }


@pytest.mark.parametrize(
    "query", ["level=fatal", "status=deleted", "page=0", "page=two", f"environment={'e' * 256}"]
)
def test_bad_list_parameters_are_400_before_any_rollbar_call(auth_client, fake_rollbar, query):
    response = auth_client.get(f"/items?{query}")
    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"
    assert response.json()["errors"]
    assert fake_rollbar.state.requests == []


def test_one_item_is_rollbars_item(auth_client, fake_rollbar):
    item = fake_rollbar.state.seed_items([{"title": "KeyError: 'x'"}])[0]
    for path in (f"/items/{item['id']}", f"/items/{item['id']}/"):
        response = auth_client.get(path)
        assert response.status_code == 200
        assert response.json() == item


def test_an_unknown_item_is_404(auth_client, fake_rollbar):
    response = auth_client.get("/items/987654")
    assert response.status_code == 404
    assert response.json() == {
        "status": "NOT-FOUND",
        "message": "item 987654 not found in the Rollbar project.",
    }


def test_a_non_numeric_id_is_404_without_a_rollbar_call(auth_client, fake_rollbar):
    assert auth_client.get("/items/abc").status_code == 404
    assert fake_rollbar.state.requests == []


def test_create_sends_an_occurrence_and_answers_202_with_its_uuid(auth_client, fake_rollbar):
    response = auth_client.post(
        "/items",
        {"message": "Payment failed", "environment": "staging", "level": "warning", "title": "Payments down"},
        format="json",
    )
    assert response.status_code == 202
    uuid = response.json()["uuid"]
    assert list(response.json()) == ["uuid"]

    occurrence = fake_rollbar.state.occurrences[-1]
    assert occurrence["data"]["uuid"] == uuid
    assert occurrence["data"]["body"] == {"message": {"body": "Payment failed"}}
    assert occurrence["data"]["notifier"]["name"] == "rollbar_items"
    assert rollbar_calls(fake_rollbar, "POST")[0]["token"] == POST_TOKEN
    (item,) = fake_rollbar.state.items.values()
    assert (item["title"], item["level"], item["environment"]) == ("Payments down", "warning", "staging")


def test_create_with_only_a_message_uses_rollbars_defaults(auth_client, fake_rollbar):
    assert auth_client.post("/items/", {"message": "hello"}, format="json").status_code == 202
    (item,) = fake_rollbar.state.items.values()
    assert (item["title"], item["level"], item["environment"]) == ("hello", "info", "production")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "message"),
        ({"message": ""}, "message"),
        ({"message": "x", "level": "fatal"}, "level"),
        ({"message": "x", "title": "t" * 256}, "title"),
        ({"message": "x", "environment": "e" * 256}, "environment"),
        ({"message": "x", "custom": "not an object"}, "custom"),
        ({"message": 42}, "message"),
        ({"message": "x", "code_version": 1.5}, "code_version"),
    ],
)
def test_create_validates_before_calling_rollbar(auth_client, fake_rollbar, body, field):
    response = auth_client.post("/items", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert fake_rollbar.state.requests == []


def test_malformed_json_is_400(auth_client, fake_rollbar):
    response = auth_client.post("/items", data="{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_sends_only_rollbars_fields_and_answers_its_result(auth_client, fake_rollbar, method):
    item = fake_rollbar.state.seed_items(count=1)[0]
    body = {
        "status": "resolved",
        "resolved_in_version": "2.4.1",
        "level": "critical",
        "title": "Renamed",
        "assigned_user_id": 7,
        "counter": 99,
        "project_id": 5,
    }
    response = getattr(auth_client, method)(f"/items/{item['id']}", body, format="json")
    assert response.status_code == 200
    expected = {k: body[k] for k in ("status", "resolved_in_version", "level", "title", "assigned_user_id")}
    assert response.json() == expected
    patch = rollbar_calls(fake_rollbar, "PATCH")[0]
    assert json.loads(patch["body"]) == expected
    assert patch["token"] == WRITE_TOKEN
    stored = fake_rollbar.state.items[item["id"]]
    assert (stored["status"], stored["title"], stored["counter"]) == ("resolved", "Renamed", item["counter"])


def test_update_can_unassign(auth_client, fake_rollbar):
    item = fake_rollbar.state.seed_items([{"assigned_user_id": 3}])[0]
    response = auth_client.patch(f"/items/{item['id']}/", {"assigned_user_id": None}, format="json")
    assert response.json() == {"assigned_user_id": None}
    assert fake_rollbar.state.items[item["id"]]["assigned_user_id"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "archived"}, "status"),
        ({"level": "fatal"}, "level"),
        ({"title": ""}, "title"),
        ({"title": "t" * 256}, "title"),
        ({"resolved_in_version": "v" * 41}, "resolved_in_version"),
        ({"assigned_user_id": "bob"}, "assigned_user_id"),
        ({"assigned_user_id": 0}, "assigned_user_id"),
    ],
)
def test_update_validates_values(auth_client, fake_rollbar, body, field):
    item = fake_rollbar.state.seed_items(count=1)[0]
    response = auth_client.patch(f"/items/{item['id']}", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert rollbar_calls(fake_rollbar, "PATCH") == []


@pytest.mark.parametrize("body", [{}, {"counter": 4}])
def test_an_update_with_nothing_to_change_changes_nothing(auth_client, fake_rollbar, body):
    item = fake_rollbar.state.seed_items(count=1)[0]
    response = auth_client.patch(f"/items/{item['id']}", body, format="json")
    assert (response.status_code, response.json()) == (200, {})
    assert rollbar_calls(fake_rollbar, "PATCH") == []
    assert auth_client.put("/items/4242", body, format="json").status_code == 404


def test_bodies_must_be_json(auth_client, fake_rollbar):
    response = auth_client.post("/items", {"message": "x"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["status"] == "UNSUPPORTED-MEDIA-TYPE"
    assert fake_rollbar.state.requests == []


def test_text_is_passed_on_as_sent(auth_client, fake_rollbar):
    response = auth_client.post(
        "/items", {"message": "  line\u0000 two\n", "title": " spaced "}, format="json"
    )
    assert response.status_code == 202
    data = fake_rollbar.state.occurrences[0]["data"]
    assert data["body"]["message"]["body"] == "  line\u0000 two\n"
    assert data["title"] == " spaced "


def test_update_of_an_unknown_item_is_404(auth_client, fake_rollbar):
    response = auth_client.patch("/items/55555", {"status": "muted"}, format="json")
    assert response.status_code == 404
    assert response.json()["message"] == "item 55555 not found in the Rollbar project."


def test_delete_is_refused_with_405_pointing_to_patch(auth_client, fake_rollbar):
    item = fake_rollbar.state.seed_items(count=1)[0]
    response = auth_client.delete(f"/items/{item['id']}")
    assert response.status_code == 405
    body = response.json()
    assert body["status"] == "METHOD-NOT-ALLOWED"
    assert "cannot delete items" in body["message"]
    assert '{"status": "resolved"}' in body["message"] and '{"status": "muted"}' in body["message"]
    assert "DELETE" not in response["Allow"]
    assert fake_rollbar.state.requests == []
    assert fake_rollbar.state.items[item["id"]]["status"] == "active"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/items"),
        ("post", "/items"),
        ("get", "/items/1"),
        ("patch", "/items/1"),
        ("delete", "/items/1"),
    ],
)
def test_every_items_endpoint_needs_an_authenticated_user(api_client, fake_rollbar, method, path):
    response = getattr(api_client, method)(path, {}, format="json")
    assert response.status_code == 401
    assert response.json()["status"] == "UNAUTHORIZED"
    assert fake_rollbar.state.requests == []


def test_the_api_root_links_the_items_and_reports(api_client):
    services = api_client.get("/").json()["services"]
    assert services["rollbar_items"] == "http://testserver/items"
    assert services["rollbar_reports"] == "http://testserver/reports"


def test_reads_use_the_read_token_only(auth_client, fake_rollbar):
    fake_rollbar.state.seed_items(count=1)
    auth_client.get("/items")
    assert {r["token"] for r in fake_rollbar.state.requests} == {READ_TOKEN}


def test_the_browsable_api_renders_items_for_a_browser(auth_client, fake_rollbar):
    item = fake_rollbar.state.seed_items([{"title": "Shown in a browser"}])[0]
    for path in ("/items", f"/items/{item['id']}"):
        response = auth_client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "Shown in a browser" in response.content.decode()
