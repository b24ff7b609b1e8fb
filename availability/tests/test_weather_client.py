"""The OpenWeatherMap client against the fake server: condition ids, typed errors, timeouts."""

import ast
import time
from pathlib import Path

import pytest

from availability import weather
from availability.tests.fake_openweather import FakeOpenWeather


@pytest.fixture
def fake():
    server = FakeOpenWeather().start()
    yield server
    server.stop()


def client_for(fake, **kwargs):
    return weather.WeatherClient(base_url=fake.url, api_key=fake.api_key, **kwargs)


def test_condition_id_of_a_city(fake):
    fake.set_condition("San José", "cr", 502)

    assert client_for(fake).condition_id("San José", "cr") == 502
    assert fake.requests == [{"q": "San José,cr", "appid": fake.api_key}]


def test_a_wrong_key_is_key_refused_without_the_key_in_the_message(fake):
    client = weather.WeatherClient(base_url=fake.url, api_key="wrong-key-123")

    with pytest.raises(weather.WeatherKeyRefused) as error:
        client.condition_id("Leon", "ni")
    assert "wrong-key-123" not in str(error.value)


def test_an_unknown_city_is_city_not_found(fake):
    with pytest.raises(weather.CityNotFound, match="Atlantis, ni"):
        client_for(fake).condition_id("Atlantis", "ni")


def test_a_failing_service_is_unavailable(fake):
    fake.mode = "fail"

    with pytest.raises(weather.WeatherUnavailable, match="HTTP 500"):
        client_for(fake).condition_id("Leon", "ni")


def test_the_read_timeout_is_honoured(fake):
    fake.set_condition("Leon", "ni", 800)
    fake.mode = "slow"

    started = time.monotonic()
    with pytest.raises(weather.WeatherTimeout, match=r"0\.2 seconds"):
        client_for(fake, timeout=0.2).condition_id("Leon", "ni")
    assert time.monotonic() - started < 1.5


def test_a_closed_port_is_unavailable(fake):
    fake.stop()

    with pytest.raises(weather.WeatherUnavailable, match="could not be reached") as error:
        client_for(fake).condition_id("Leon", "ni")
    assert fake.api_key not in str(error.value)


def test_every_error_is_a_weather_error():
    for error in (
        weather.WeatherUnavailable,
        weather.WeatherTimeout,
        weather.WeatherKeyRefused,
        weather.CityNotFound,
    ):
        assert issubclass(error, weather.WeatherError)


def test_an_answer_without_a_condition_is_unavailable(fake):
    fake.mode = "malformed"

    with pytest.raises(weather.WeatherUnavailable, match="without a condition"):
        client_for(fake).condition_id("Leon", "ni")


def test_the_client_has_no_django_imports():
    tree = ast.parse(Path(weather.__file__).read_text(encoding="utf-8"))
    modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    modules += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in modules if name.split(".")[0] == "django"]
