"""Fixtures of the availability tests: the service token and the fake OpenWeatherMap server."""

import pytest

SERVICE_TOKEN = "service-token-for-tests-0123456789"


@pytest.fixture
def service_token(settings):
    settings.AVAILABILITY_API_TOKEN = SERVICE_TOKEN
    return SERVICE_TOKEN


@pytest.fixture
def service_client(api_client, service_token):
    """An APIClient sending `Authorization: Bearer <AVAILABILITY_API_TOKEN>`."""
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {service_token}")
    return api_client


@pytest.fixture
def openweather(fake_openweather_server, settings):
    """The fake OpenWeatherMap of the root conftest, and the settings pointing at it with a short timeout."""
    settings.OPENWEATHER_API_URL = fake_openweather_server.url
    settings.OPENWEATHER_API_KEY = fake_openweather_server.api_key
    settings.OPENWEATHER_TIMEOUT = 0.5
    return fake_openweather_server
