"""Who may write /active: the service Bearer token, a user's API token or session; 401 missing, 403 wrong."""

import pytest
from rest_framework.test import APIClient

from availability.models import Location

pytestmark = pytest.mark.django_db

BODY = {"country": "ni", "city": "Leon", "active": True}


@pytest.mark.parametrize("method", ["post", "put"])
def test_missing_credentials_are_401(api_client, service_token, method):
    response = getattr(api_client, method)("/active", BODY, format="json")

    assert response.status_code == 401
    assert response.json()["status"] == "UNAUTHORIZED"
    assert "AVAILABILITY_API_TOKEN" in response.json()["message"]
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not Location.objects.exists()


def test_another_scheme_counts_as_missing(api_client, service_token):
    api_client.credentials(HTTP_AUTHORIZATION="Basic YWxpY2U6cGFzcw==")

    assert api_client.post("/active", BODY, format="json").status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer wrong-token", "Bearer", "Bearer service-token-for-tests-0123456789x", "Token not-a-key"],
)
def test_wrong_credentials_are_403(api_client, service_token, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.post("/active", BODY, format="json")

    assert response.status_code == 403
    assert response.json()["status"] == "FORBIDDEN"
    assert service_token not in response.json()["message"]
    assert not Location.objects.exists()


def test_a_bearer_token_is_refused_when_none_is_configured(api_client, settings):
    settings.AVAILABILITY_API_TOKEN = ""
    api_client.credentials(HTTP_AUTHORIZATION="Bearer ")

    response = api_client.post("/active", BODY, format="json")

    assert response.status_code == 403
    assert "AVAILABILITY_API_TOKEN" in response.json()["message"]


def test_the_service_token_may_write(service_client):
    assert service_client.post("/active", BODY, format="json").status_code == 201


def test_a_user_token_may_write(auth_client):
    assert auth_client.post("/active", BODY, format="json").status_code == 201


def test_a_logged_in_session_may_write_with_its_csrf_token(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/active", HTTP_ACCEPT="text/html")
    csrf = page.cookies["csrftoken"].value

    response = client.post("/active", BODY, format="json", HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 201


def test_reads_need_no_credentials_and_ignore_wrong_ones(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer wrong")

    assert api_client.get("/active").status_code == 200


def test_a_json_read_reads_no_session_so_caches_may_share_it(api_client, django_user_model):
    api_client.force_login(django_user_model.objects.create_user("reader", password="pw-for-tests-1"))

    response = api_client.get("/active", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert "Cookie" not in response.headers["Vary"]


def test_a_logged_in_browser_still_gets_the_write_form(api_client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-for-tests-1")
    api_client.force_login(user)

    page = api_client.get("/active", HTTP_ACCEPT="text/html").content.decode()

    assert "editor" in page  # the browsable API knows who is logged in
    assert 'id="post-object-form"' in page or "post-generic-content-form" in page
