"""docs/postman: the collection reaches live views, and runs in newman as shipped against a real gunicorn."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from availability.models import Location
from cars.models import Car
from comments.models import Comment
from core.views import NotFoundView
from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN

BASE_DIR = Path(__file__).resolve().parents[2]
POSTMAN = BASE_DIR / "docs" / "postman"
COLLECTION_PATH = POSTMAN / "twelve-factor-api.postman_collection.json"
ENVIRONMENT_PATH = POSTMAN / "twelve-factor-api.postman_environment.json"
COLLECTION = json.loads(COLLECTION_PATH.read_text())
ENVIRONMENT = json.loads(ENVIRONMENT_PATH.read_text())
# The environment wins over the collection's variables, as in Postman and newman.
VARIABLES = {v["key"]: v["value"] for v in COLLECTION["variable"]} | {
    v["key"]: v["value"] for v in ENVIRONMENT["values"]
}
# Where `make test` installs newman; NEWMAN or the PATH may name another.
NEWMAN_INSTALL = "npm install --prefix .tools newman@6.2.2"
PASSWORD = "postman-pass-4821"


def requests_of(items, folder=""):
    for item in items:
        if "item" in item:
            yield from requests_of(item["item"], item["name"])
        else:
            yield folder, item["name"], item


ALL_REQUESTS = list(requests_of(COLLECTION["item"]))
IDS = [f"{folder}: {name}" for folder, name, _ in ALL_REQUESTS]


def substitute(text: str, variables: dict) -> str:
    return re.sub(r"\{\{(\w+)\}\}", lambda m: str(variables[m.group(1)]), text)


def urlpath(request) -> str:
    return substitute("/" + "/".join(request["url"]["path"]), VARIABLES)


def test_collection_and_environment_are_postman_v2_1_with_credentials_as_variables():
    assert (
        COLLECTION["info"]["schema"] == "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    )
    assert ENVIRONMENT["_postman_variable_scope"] == "environment"
    assert {"base_url", "username", "password", "token"} <= {v["key"] for v in ENVIRONMENT["values"]}
    assert VARIABLES["password"] == VARIABLES["token"] == "", "no credential is shipped"
    assert all(item["request"]["url"]["raw"].startswith("{{base_url}}/") for _, _, item in ALL_REQUESTS)
    login = next(item for _, name, item in ALL_REQUESTS if name == "Get a token")
    assert json.loads(login["request"]["body"]["raw"]) == {
        "username": "{{username}}",
        "password": "{{password}}",
    }


def test_collection_covers_every_service():
    paths = {urlpath(item["request"]) for _, _, item in ALL_REQUESTS}

    for expected in [
        "/",
        "/check",
        "/which",
        "/api-auth/token",
        "/cars",
        "/cars/1",
        "/api/comment/new",
        "/api/comment/list/1",
        "/api/comment/1",
        "/active",
        "/price/AZ00001",
        "/quote",
        "/items",
        "/items/1",
        "/reports",
    ]:
        assert expected in paths


@pytest.mark.parametrize(("folder", "name", "item"), ALL_REQUESTS, ids=IDS)
def test_every_request_has_a_test(folder, name, item):
    scripts = ["\n".join(e["script"]["exec"]) for e in item.get("event", []) if e["listen"] == "test"]

    assert scripts, f"{folder}: {name} has no test script"
    assert "pm.test(" in scripts[0]
    assert "pm.response" in scripts[0]


@pytest.mark.parametrize(("folder", "name", "item"), ALL_REQUESTS, ids=IDS)
def test_every_request_resolves_to_a_live_view_allowing_its_method(folder, name, item):
    request = item["request"]
    path = urlpath(request)
    try:
        match = resolve(path)
    except Resolver404:
        pytest.fail(f"{request['method']} {path} resolves to nothing")
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)

    assert view_class is not None
    assert view_class is not NotFoundView, f"{path} only reaches the catch-all 404"
    method = request["method"].lower()
    assert method in view_class.http_method_names
    if "(405" in name:  # a request that shows a refusal: the view has no handler, DRF answers 405
        assert not hasattr(view_class, method), f"{view_class.__name__} handles {method.upper()}"
    else:
        assert hasattr(view_class, method), f"{view_class.__name__} has no {method.upper()} handler"


def test_writes_and_rollbar_requests_send_the_users_token():
    public = {"/api/comment/new", "/quote", "/api-auth/token"}
    for folder, name, item in ALL_REQUESTS:
        request = item["request"]
        if (request["method"] != "GET" or folder == "rollbar") and urlpath(request) not in public:
            headers = {h["key"]: h["value"] for h in request["header"]}
            assert headers.get("Authorization") == "Token {{token}}", f"{folder}: {name}"


# --- newman, as a user runs it: the shipped files, credentials on the command line -------------------


def newman_command() -> str:
    found = os.environ.get("NEWMAN") or shutil.which(
        "newman", path=str(BASE_DIR / ".tools" / "node_modules" / ".bin")
    )
    found = found or shutil.which("newman")
    if not found:
        pytest.fail(
            f"newman is not installed: run `{NEWMAN_INSTALL}` (make test does), or set NEWMAN to its path"
        )
    return found


def newman(base_url: str, report: Path, **env_vars) -> tuple[subprocess.CompletedProcess, dict]:
    """`newman run` of the shipped collection and environment; its JSON report's run."""
    args = [newman_command(), "run", str(COLLECTION_PATH), "-e", str(ENVIRONMENT_PATH), "--color", "off"]
    for key, value in {"base_url": base_url, **env_vars}.items():
        args += ["--env-var", f"{key}={value}"]
    args += ["--reporters", "cli,json", "--reporter-json-export", str(report)]
    finished = subprocess.run(args, capture_output=True, text=True, timeout=180, cwd=BASE_DIR)
    return finished, json.loads(report.read_text())["run"]


def answers(run: dict) -> dict:
    return {e["item"]["name"]: e["response"]["code"] for e in run["executions"] if "response" in e}


def failures(run: dict) -> list[str]:
    return [f"{f['source']['name']}: {f['error']['message']}" for f in run["failures"]]


@pytest.fixture
def upstreams(fake_rollbar_server, fake_openweather_server):
    """The fake Rollbar (with one active error) and the fake OpenWeatherMap, as the server's environment."""
    fake_openweather_server.set_condition("Leon", "ni", 800)
    fake_rollbar_server.state.seed_items([{"title": "Payments down", "level": "error"}])
    return (
        fake_rollbar_server,
        {
            "ROLLBAR_API_URL": fake_rollbar_server.url,
            "ROLLBAR_READ_TOKEN": READ_TOKEN,
            "ROLLBAR_WRITE_TOKEN": WRITE_TOKEN,
            "ROLLBAR_POST_TOKEN": POST_TOKEN,
            "OPENWEATHER_API_URL": fake_openweather_server.url,
            "OPENWEATHER_API_KEY": fake_openweather_server.api_key,
        },
    )


@pytest.fixture
def server(gunicorn_server, upstreams, monkeypatch):
    """gunicorn on a database set up as `make run` leaves it, with a superuser made as the README says."""
    for command in ("seed_cars", "seed_locations", "seed_conditions"):
        call_command(command, verbosity=0)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", username="admin", email="admin@example.com", verbosity=0)
    return gunicorn_server(workers=2, **upstreams[1])


EXPECTED = {
    "API root": 200,
    "Health check": 200,
    "Which": 200,
    "Get a token": 200,
    "Add car": 201,
    "List cars": 200,
    "Get car": 200,
    "Update car": 200,
    "Change doors": 200,
    "Delete car": 200,
    "Get the deleted car": 404,
    "List cars: page 2 of 10": 200,
    "List cars: filter, search, order": 200,
    **{name: 201 for _, name, _ in ALL_REQUESTS if name.startswith("New comment")},
    "List comments of content 1": 200,
    "List comments of content 2": 200,
    "Get a comment": 200,
    "Remove a comment (staff)": 200,
    "All locations": 200,
    "Locations of a country": 200,
    "Is Leon active?": 200,
    "Close sales in Leon": 200,
    "Open sales in Leon again": 200,
    "Price of a product": 200,
    "Quote": 200,
    "List items": 200,
    "Get an item": 200,
    "Report an item": 202,
    "Resolve an item": 200,
    "Update an item": 200,
    "Delete an item (405: Rollbar cannot)": 405,
    "List reports": 200,
    "Fetch a fresh report": 201,
    "Clear reports (staff)": 200,
}


@pytest.mark.live
def test_newman_runs_the_shipped_collection_with_a_real_user_and_every_assertion_passes(
    server, upstreams, tmp_path
):
    finished, run = newman(server.url, tmp_path / "report.json", username="admin", password=PASSWORD)

    assert failures(run) == [], finished.stdout[-3000:]
    assert finished.returncode == 0, finished.stdout[-3000:]
    assert answers(run) == EXPECTED  # the real answers, none of the 503s of an unconfigured upstream
    assert run["stats"]["assertions"] == {"total": len(ALL_REQUESTS), "pending": 0, "failed": 0}
    assert not Car.objects.filter(name__in=["Pink Rose", "Black Bullet II"]).exists()
    assert Comment.objects.count() == 5  # six posted, one removed
    assert Location.objects.get(country="ni", city="Leon").active is True
    seeded = upstreams[0].state.items[1000]
    assert (seeded["status"], seeded["level"], seeded["title"]) == ("active", "warning", "Renamed")


@pytest.mark.live
def test_newman_with_a_wrong_password_stops_at_the_login_and_keeps_a_given_token(
    server, tmp_path, django_user_model
):
    from rest_framework.authtoken.models import Token

    finished, run = newman(server.url, tmp_path / "no-token.json", username="admin", password="wrong")

    assert finished.returncode != 0
    assert failures(run) == [
        "Get a token: login failed (Invalid input. Unable to log in with provided credentials.): set "
        "`username` and `password` in the environment or with --env-var to a user of this server: "
        "expected 400 to deeply equal 200"
    ]
    assert list(answers(run)) == ["API root", "Health check", "Which", "Get a token"]

    key = Token.objects.create(user=django_user_model.objects.get(username="admin")).key
    finished, run = newman(server.url, tmp_path / "token.json", password="wrong", token=key)

    assert [failure.split(":")[0] for failure in failures(run)] == ["Get a token"]
    assert answers(run)["Add car"] == 201
    assert answers(run)["Clear reports (staff)"] == 200
