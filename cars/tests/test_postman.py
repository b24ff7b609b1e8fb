"""docs/postman: every request of the collection reaches a live view, and the original cars flow works."""

import json
import re
from pathlib import Path

import pytest
import requests
from django.urls import Resolver404, resolve

from core.views import NotFoundView

POSTMAN = Path(__file__).resolve().parents[2] / "docs" / "postman"
COLLECTION = json.loads((POSTMAN / "twelve-factor-api.postman_collection.json").read_text())
ENVIRONMENT = json.loads((POSTMAN / "twelve-factor-api.postman_environment.json").read_text())
VARIABLES = {v["key"]: v["value"] for v in COLLECTION["variable"]}


def requests_of(items, folder=""):
    for item in items:
        if "item" in item:
            yield from requests_of(item["item"], item["name"])
        else:
            yield folder, item["name"], item["request"]


ALL_REQUESTS = list(requests_of(COLLECTION["item"]))


def substitute(text: str, variables: dict) -> str:
    return re.sub(r"\{\{(\w+)\}\}", lambda m: str(variables[m.group(1)]), text)


def test_collection_and_environment_are_postman_v2_1_with_base_url_and_token():
    assert (
        COLLECTION["info"]["schema"] == "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    )
    assert {"base_url", "token"} <= set(VARIABLES)
    assert ENVIRONMENT["_postman_variable_scope"] == "environment"
    assert {"base_url", "token"} <= {v["key"] for v in ENVIRONMENT["values"]}
    assert all(request["url"]["raw"].startswith("{{base_url}}/") for _, _, request in ALL_REQUESTS)


def test_collection_covers_every_service():
    paths = {urlpath(request) for _, _, request in ALL_REQUESTS}

    for expected in [
        "/",
        "/check",
        "/which",
        "/cars",
        "/cars/1",
        "/api/comment/new",
        "/api/comment/list/1",
        "/active",
        "/price/AZ00001",
        "/quote",
        "/items",
        "/items/1",
        "/reports",
    ]:
        assert expected in paths


def urlpath(request) -> str:
    path = "/" + "/".join(request["url"]["path"])
    return substitute(path, VARIABLES)


@pytest.mark.parametrize(
    ("folder", "name", "request_"), ALL_REQUESTS, ids=[f"{f}: {n}" for f, n, _ in ALL_REQUESTS]
)
def test_every_request_resolves_to_a_live_view_allowing_its_method(folder, name, request_):
    path = urlpath(request_)
    try:
        match = resolve(path)
    except Resolver404:
        pytest.fail(f"{request_['method']} {path} resolves to nothing")
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)

    assert view_class is not None
    assert view_class is not NotFoundView, f"{path} only reaches the catch-all 404"
    method = request_["method"].lower()
    assert method in view_class.http_method_names
    assert hasattr(view_class, method), f"{view_class.__name__} has no {method.upper()} handler"


def test_writes_and_rollbar_requests_send_the_token():
    for folder, name, request in ALL_REQUESTS:
        needs_token = folder == "rollbar" or (folder.startswith("cars") and request["method"] != "GET")
        if needs_token:
            headers = {h["key"]: h["value"] for h in request["header"]}
            assert headers.get("Authorization") == "Token {{token}}", f"{folder}: {name}"


def send(server_url, request, token):
    variables = {**VARIABLES, "base_url": server_url, "token": token}
    headers = {h["key"]: substitute(h["value"], variables) for h in request["header"]}
    body = request.get("body", {}).get("raw")
    return requests.request(
        request["method"],
        substitute(request["url"]["raw"], variables),
        headers=headers,
        data=body.encode() if body else None,
        timeout=10,
    )


@pytest.mark.live
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_original_cars_flow_runs_against_gunicorn_with_a_token(gunicorn_server, token):
    server = gunicorn_server(workers=2)
    flow = [request for folder, _, request in ALL_REQUESTS if folder == "cars"]

    answers = [send(server.url, request, token) for request in flow]

    assert [(r.request.method, r.status_code) for r in answers] == [
        ("POST", 201),
        ("GET", 200),
        ("GET", 200),
        ("PUT", 200),
        ("DELETE", 200),
    ]
    added, listed, got, updated, deleted = (r.json() for r in answers)
    pink_rose = {"id": 1, "name": "Pink Rose", "model": "Audi Q5", "doors": 4}
    assert added == {"message": "car Pink Rose has been created successfully.", "car": pink_rose}
    assert listed == {"message": "success", "count": 1, "next": None, "previous": None, "cars": [pink_rose]}
    assert got == {"message": "success", "car": pink_rose}
    assert updated == {
        "message": "car Black Bullet II successfully updated",
        "car": {"id": 1, "name": "Black Bullet II", "model": "Accord", "doors": 4},
    }
    assert deleted == {"message": "Car Black Bullet II successfully deleted."}
    assert requests.get(f"{server.url}/cars/1", timeout=10).json() == {
        "status": "NOT-FOUND",
        "message": "car 1 not found",
    }


@pytest.mark.live
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_original_cars_flow_without_a_token_is_refused_for_writes(gunicorn_server):
    server = gunicorn_server(workers=1)
    add = next(request for folder, _, request in ALL_REQUESTS if folder == "cars")

    response = send(server.url, add, token="")

    assert response.status_code == 401
    assert response.json()["status"] == "UNAUTHORIZED"
