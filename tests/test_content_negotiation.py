"""The renderer follows each request's own Accept header and format parameter, nothing a client sent
before: a `?%66ormat=api` (the decoded `format=api`) once must not switch later JSON clients to HTML."""

import pytest

pytestmark = pytest.mark.django_db

ACCEPTS = [None, "*/*", "application/json", "application/json, text/plain, */*", "x/unheard-of;q=0.1, */*"]


@pytest.mark.parametrize(
    ("accept", "status", "content_type"),
    [
        (None, 200, "application/json"),
        ("*/*", 200, "application/json"),
        ("application/json", 200, "application/json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", 200, "text/html"),
        ("application/xml", 406, "application/json"),
    ],
)
def test_the_answer_follows_the_accept_header_every_time(api_client, accept, status, content_type):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    for _ in range(3):
        response = api_client.get("/", **headers)
        assert response.status_code == status
        assert response["Content-Type"].startswith(content_type)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_an_encoded_format_override_does_not_change_later_answers(api_client, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    for _ in range(3):  # the attack: the browsable API asked for with a percent-encoded parameter
        api_client.get("/cars/1?%66ormat=api", **headers)

    for path in ("/cars", "/api/comment/list/1", "/"):
        response = api_client.get(path, **headers)
        assert response["Content-Type"].startswith("application/json"), (path, accept)


def test_the_format_override_still_wins_for_its_own_request(api_client):
    assert api_client.get("/").headers["Content-Type"].startswith("application/json")
    assert api_client.get("/?format=api").headers["Content-Type"].startswith("text/html")
    assert api_client.get("/").headers["Content-Type"].startswith("application/json")
