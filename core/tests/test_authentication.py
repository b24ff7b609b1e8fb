"""A checked API token is remembered briefly by its process, and forgotten when it or its user changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_repeated_token_costs_no_query(auth_client):
    anonymous = queries_of(APIClient(), "/cars")

    assert queries_of(auth_client, "/cars") == anonymous + 1  # the token, looked up
    assert queries_of(auth_client, "/cars") == anonymous


def test_a_deleted_token_is_refused_at_once(auth_client, token):
    assert auth_client.get("/cars").status_code == 200
    Token.objects.filter(key=token).delete()

    response = auth_client.get("/cars")
    assert response.status_code == 401
    assert response.json() == {"status": "UNAUTHORIZED", "message": "Invalid token."}


def test_a_deactivated_user_is_refused_at_once(auth_client, user):
    assert auth_client.get("/cars").status_code == 200
    user.is_active = False
    user.save()

    response = auth_client.get("/cars")
    assert response.status_code == 401
    assert response.json() == {"status": "UNAUTHORIZED", "message": "User inactive or deleted."}


def test_a_user_made_staff_is_staff_on_the_next_request(auth_client, user):
    assert auth_client.delete("/api/comment/999999").status_code == 403  # for staff only
    user.is_staff = True
    user.save()

    assert auth_client.delete("/api/comment/999999").status_code == 404
