"""Bad input never gets a 500 or an HTML page, and never changes what is stored.

Body and query cases run against every endpoint of the URL conf (tests/endpoints.py), authenticated
as staff so that the input itself, not the permission check, is what the server judges.
"""

import json

import pytest
from django.apps import apps
from django.conf import settings

from availability.tests.factories import LocationFactory, PriceRuleFactory, ProductFactory
from cars.tests.factories import CarFactory
from comments.tests.factories import CommentFactory
from rollbar_items.tests.factories import ReportFactory
from tests.conftest import assert_error
from tests.endpoints import api_endpoints

ENDPOINTS = api_endpoints()
BODY_ENDPOINTS = [e for e in ENDPOINTS if e.method in ("POST", "PUT", "PATCH")]
READ_ENDPOINTS = [e for e in ENDPOINTS if e.method == "GET"]
pytestmark = pytest.mark.usefixtures("fast_password_hashing")

HTML_PAGES = {"swagger-ui", "redoc"}  # pages for browsers by design
APPS = ("cars", "comments", "availability", "rollbar_items")


def snapshot() -> dict:
    """Everything stored by the four apps, row by row."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


@pytest.fixture
def stored(db):
    CarFactory(id=1, name="Pink Rose", model="Audi Q5", doors=4)
    CommentFactory(id=1, content_id=1)
    PriceRuleFactory(
        product=ProductFactory(sku="AZ00001"), location=LocationFactory(country="ni", city="Leon")
    )
    ReportFactory(id=1)
    return snapshot()


@pytest.fixture(autouse=True)
def _offline_services(settings):
    """Rollbar and the weather API on a closed port: a request that got that far answers 502/503."""
    settings.ROLLBAR_API_URL = "http://127.0.0.1:9/api/1"
    settings.OPENWEATHER_API_URL = "http://127.0.0.1:9/data/2.5"


def assert_handled(response, endpoint, case=""):
    """Any answer but a crash: a 4xx in the error shape, or a JSON success."""
    assert response.status_code < 500 or response.status_code in (502, 503), (
        str(endpoint),
        case,
        response.content[:300],
    )
    if response.status_code >= 400:
        return assert_error(response, response.status_code)
    if endpoint.url_name not in HTML_PAGES:
        assert not response.headers["Content-Type"].startswith("text/html"), str(endpoint)
    return None


# --- bodies ------------------------------------------------------------------------------------

MALFORMED_JSON = [
    '{"name": "x",',
    "{'name': 'x'}",
    "[1, 2",
    "nul",
    '{"a": NaN}',
    "\ufeff{}",
    '"\\ud800"',
    "{}}",
]


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
def test_malformed_json_is_400(endpoint, stored, staff_client):
    for body in MALFORMED_JSON:
        response = staff_client.generic(endpoint.method, endpoint.path, body, content_type="application/json")

        error = assert_error(response, 400)
        assert error["status"] == "INVALID"
    assert snapshot() == stored


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/x-yaml", "image/png"])
@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
def test_unsupported_content_types_are_415(endpoint, content_type, stored, staff_client):
    response = staff_client.generic(
        endpoint.method, endpoint.path, '{"name": "x"}', content_type=content_type
    )

    error = assert_error(response, 415)
    assert error["status"] == "UNSUPPORTED-MEDIA-TYPE"
    assert snapshot() == stored


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
def test_bodies_over_the_limit_are_413(endpoint, stored, staff_client):
    body = json.dumps({"comment": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    response = staff_client.generic(endpoint.method, endpoint.path, body, content_type="application/json")

    error = assert_error(response, 413)
    assert error["status"] == "TOO-LARGE"
    assert snapshot() == stored


WRONG_SHAPES = ["[]", "1", '"text"', "null", "true", '{"name": {"a": 1}, "doors": [4], "email": 5}']


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
def test_json_of_the_wrong_shape_is_4xx(endpoint, stored, staff_client):
    for body in WRONG_SHAPES:
        response = staff_client.generic(endpoint.method, endpoint.path, body, content_type="application/json")

        assert_handled(response, endpoint)
        assert response.status_code >= 400, (str(endpoint), body, response.json())
    assert snapshot() == stored


# --- query strings -----------------------------------------------------------------------------

NASTY_QUERIES = [
    "page=0",
    "page=-1",
    "page=99999999999999999999",
    "page=1e3",
    "page=last",
    "page_size=0",
    "page_size=-5",
    "page_size=99999999999999999999",
    "doors=99999999999999999999",
    "doors=-99999999999999999999",
    "content_id=99999999999999999999",
    "search=%00",
    "name=%00abc",
    "country=%00%00",
    "country=ni&city=%00",
    "ordering=%00",
    "ordering=-password",
    "ordering=id;DROP TABLE cars_car",
    "search=' OR 1=1 --",
    "search=%F0%9F%9A%97%E2%80%AE",
    "hours=99999999999999999999",
    "status=%00&level=%00&environment=%00",
    "unknown=1&also=%00&page=1",
    "a=" + "x" * 100_000,
    "&".join(f"p{i}=1" for i in range(2000)),
]


@pytest.mark.parametrize("endpoint", READ_ENDPOINTS, ids=str)
def test_nasty_query_strings_are_handled(endpoint, stored, staff_client):
    for query in NASTY_QUERIES:
        response = staff_client.get(f"{endpoint.path}?{query}")

        assert_handled(response, endpoint, query[:60])
    assert snapshot() == stored


def test_unknown_query_parameters_are_ignored(stored, api_client):
    plain = api_client.get("/cars")
    assert api_client.get("/cars?colour=red&sort=desc").json() == plain.json()


@pytest.mark.parametrize("page", ["0", "-1", "99999999999999999999", "abc"])
def test_pages_out_of_range_are_404_not_found(page, stored, api_client):
    body = assert_error(api_client.get(f"/cars?page={page}"), 404)
    assert body["status"] == "NOT-FOUND"


# --- paths -------------------------------------------------------------------------------------

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/cars/{HUGE}",
        f"/cars/-{HUGE}",
        "/cars/0",
        "/cars/-1",
        "/cars/1.5",
        "/cars/%00",
        "/cars/%F0%9F%9A%97",
        f"/api/comment/{HUGE}",
        f"/api/comment/list/{HUGE}",
        "/api/comment/list/-1",
        "/api/comment/list/%00",
        f"/items/{HUGE}",
        "/price/%00",
        "/price/" + "A" * 5000,
    ],
)
def test_odd_ids_in_paths_are_4xx(path, stored, staff_client):
    for method in ["GET", "PUT", "PATCH", "DELETE"]:
        response = staff_client.generic(method, path, "{}", content_type="application/json")

        assert 400 <= response.status_code < 500, (method, path, response.content[:200])
        assert_error(response, response.status_code)
    assert snapshot() == stored


# --- text stored and returned verbatim -----------------------------------------------------------

TRICKY_TEXT = [
    "Robert'); DROP TABLE cars_car;--",
    "<script>alert('x')</script>",
    '" onmouseover="alert(1)',
    "{{ settings.SECRET_KEY }} %s %(name)s ${jndi:ldap://x}",
    "Ñandú Ünïcödé 中文 עברית 🚗‍💨",
    "line\nbreak\ttab",
    "\u202e reversed",
]


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_sql_and_html_like_text_is_stored_and_returned_verbatim(text, db, auth_client, api_client):
    car = auth_client.post("/cars", {"name": text[:100], "model": text[:100], "doors": 2})
    assert car.status_code == 201, car.json()
    car_id = car.json()["car"]["id"]
    back = api_client.get(f"/cars/{car_id}")
    assert back.headers["Content-Type"] == "application/json"
    assert back.json()["car"]["name"] == text[:100]

    comment = api_client.post(
        "/api/comment/new", {"email": "a@example.com", "comment": text, "content_id": 5}
    )
    assert comment.status_code == 201, comment.json()
    assert [c["comment"] for c in api_client.get("/api/comment/list/5").json()] == [text]


@pytest.mark.parametrize("char", ["\x00", "\ud800"])
def test_nul_and_lone_surrogates_in_strings_are_400(char, stored, auth_client, api_client):
    body = json.dumps({"name": f"a{char}b", "model": "m", "doors": 2})
    assert_error(auth_client.generic("POST", "/cars", body, content_type="application/json"), 400)
    comment = json.dumps({"email": "a@example.com", "comment": f"x{char}", "content_id": 1})
    assert_error(
        api_client.generic("POST", "/api/comment/new", comment, content_type="application/json"), 400
    )
    assert snapshot() == stored


def test_integer_overflow_in_bodies_is_400(stored, auth_client, api_client):
    car = auth_client.post("/cars", {"name": "n", "model": "m", "doors": int(HUGE)})
    assert assert_error(car, 400)["errors"]["doors"]
    comment = api_client.post(
        "/api/comment/new", {"email": "a@example.com", "comment": "c", "content_id": HUGE}
    )
    assert assert_error(comment, 400)["errors"]["content_id"]
    assert snapshot() == stored
