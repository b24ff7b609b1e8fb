"""Every write endpoint refuses anonymous and wrong-token requests; staff actions refuse other users.

The table is generated from the URL conf (tests/endpoints.py): an endpoint mounted tomorrow is
tested tomorrow. The only writes open to anonymous clients are listed here, each with its reason.
"""

import pytest
from django.apps import apps
from rest_framework.authentication import SessionAuthentication
from rest_framework.test import APIClient

from availability.tests.factories import LocationFactory
from cars.tests.factories import CarFactory
from comments.tests.factories import CommentFactory
from rollbar_items.tests.factories import ReportFactory
from tests.conftest import assert_error
from tests.endpoints import write_endpoints

# view, method → why anyone may call it (the README's endpoint tables).
PUBLIC_WRITES = {
    ("comments.views.CommentCreateView", "POST"): "posting a comment is public, and throttled",
    ("availability.views.QuoteView", "POST"): "a quote reads prices and the weather and changes nothing",
    ("core.auth_views.ObtainTokenView", "POST"): "the username and password in the body are the credential",
}

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

WRONG_CREDENTIALS = ["Token wrong", "Bearer wrong", "Token ", "Basic d3Jvbmc6d3Jvbmc=", "Token a b"]

ENDPOINTS = write_endpoints()
PROTECTED = [e for e in ENDPOINTS if (e.view_name, e.method) not in PUBLIC_WRITES]


APPS = ("cars", "comments", "availability", "rollbar_items")


def stored_rows() -> dict[str, int]:
    """Row counts of every model of the four apps."""
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in APPS}


@pytest.fixture
def stored(db):
    """A row behind every sample id (`/cars/1`, `/api/comment/1`, ...), so a write would show."""
    CarFactory(id=1)
    CommentFactory(id=1, content_id=1)
    LocationFactory(country="ni", city="Leon")
    ReportFactory(id=1)
    return stored_rows()


def test_the_table_sees_every_app():
    """The URL-conf walk finds the writes of every app, so the tests below are not vacuous."""
    found = {str(endpoint) for endpoint in ENDPOINTS}
    assert {
        "POST /cars",
        "DELETE /cars/1",
        "POST /api/comment/new",
        "PUT /active",
        "DELETE /reports",
    } <= found
    assert {"PATCH /items/1", "POST /quote"} <= found
    for view, method in PUBLIC_WRITES:
        assert any((e.view_name, e.method) == (view, method) for e in ENDPOINTS), f"{view} is gone"


@pytest.mark.parametrize("endpoint", PROTECTED, ids=str)
def test_anonymous_writes_are_refused(endpoint, stored, api_client):
    response = api_client.generic(endpoint.method, endpoint.path, "{}", content_type="application/json")

    body = assert_error(response, response.status_code)
    assert response.status_code in (401, 403), (str(endpoint), response.status_code, body)
    assert stored_rows() == stored


@pytest.mark.parametrize("credentials", WRONG_CREDENTIALS)
@pytest.mark.parametrize("endpoint", PROTECTED, ids=str)
def test_wrong_credentials_are_refused(endpoint, credentials, stored, api_client):
    api_client.credentials(HTTP_AUTHORIZATION=credentials)
    response = api_client.generic(endpoint.method, endpoint.path, "{}", content_type="application/json")

    body = assert_error(response, response.status_code)
    assert response.status_code in (401, 403), (str(endpoint), response.status_code, body)
    assert stored_rows() == stored


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_session_writes_without_csrf_token_are_refused(endpoint, stored, staff_user):
    """A logged-in browser session cannot be ridden by another site: no CSRF token, no write."""
    if SessionAuthentication not in endpoint.view.authentication_classes:
        # Such a view never reads the session, so a forged cross-site request carries no identity.
        assert (endpoint.view_name, endpoint.method) in PUBLIC_WRITES, f"{endpoint} ignores sessions"
        return
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)

    response = client.generic(endpoint.method, endpoint.path, "{}", content_type="application/json")

    body = assert_error(response, 403)
    assert "CSRF" in body["message"]
    assert stored_rows() == stored


# Staff-only actions: clearing the stored Rollbar reports, removing a comment (moderation).
STAFF_ONLY = [("DELETE", "/reports"), ("DELETE", "/api/comment/1")]


@pytest.mark.parametrize(("method", "path"), STAFF_ONLY)
def test_staff_only_actions_refuse_authenticated_non_staff(method, path, stored, auth_client):
    response = auth_client.generic(method, path)

    assert_error(response, 403)
    assert stored_rows() == stored


@pytest.mark.parametrize(("method", "path"), STAFF_ONLY)
def test_staff_only_actions_are_allowed_to_staff(method, path, stored, staff_client):
    response = staff_client.generic(method, path)

    assert response.status_code == 200, response.json()
    assert sum(stored_rows().values()) < sum(stored.values())
