"""Property-based fuzzing of the whole OpenAPI schema with schemathesis, anonymous and authenticated.

Every operation gets a bounded number of generated requests, valid and invalid, each answered in
process by the real WSGI application on the test database: no answer may be a 5xx (other than the
documented 502/503/504 of outside services), and every answer, errors included, must match the schema
in status code, content type, headers and body. Rollbar and the weather API are the fake servers of
the apps' own tests. Derandomized: the same examples on every run, so CI is stable.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from availability.tests.factories import LocationFactory, PriceRuleFactory, ProductFactory
from cars.tests.factories import CarFactory
from comments.tests.factories import CommentFactory
from config.wsgi import application
from rollbar_items.tests.factories import ReportFactory
from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))  # more for a deeper local run

fuzz_settings = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def in_process_wsgi():
    """Calls into the WSGI app must not close the test's database connection, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, settings, fake_openweather_server, fake_rollbar_server, fast_password_hashing, in_process_wsgi):
    """Rows behind the ids the generator is likely to try, and the apps pointed at the fakes."""
    weather, rollbar = fake_openweather_server, fake_rollbar_server
    weather.set_condition("Leon", "ni", 500)
    rollbar.state.seed_items(count=3)
    settings.OPENWEATHER_API_URL = weather.url
    settings.OPENWEATHER_API_KEY = weather.api_key
    settings.OPENWEATHER_TIMEOUT = 1
    settings.ROLLBAR_API_URL = rollbar.url
    settings.ROLLBAR_READ_TOKEN = READ_TOKEN
    settings.ROLLBAR_WRITE_TOKEN = WRITE_TOKEN
    settings.ROLLBAR_POST_TOKEN = POST_TOKEN
    settings.ROLLBAR_TIMEOUT = 1
    # The generator sends far more than a person would: lift the throttles it would otherwise hit.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "comments": "100000/min",
            "login": "100000/min",
            "locations": "100000/min",
        },
    }
    CarFactory.create_batch(3)
    CommentFactory(content_id=1)
    PriceRuleFactory(
        product=ProductFactory(sku="AZ00001"), location=LocationFactory(country="ni", city="Leon")
    )
    ReportFactory()


@pytest.fixture
def staff_token(staff_user):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=staff_user).key


@schema.parametrize()
@fuzz_settings
def test_anonymous_requests_conform_to_the_schema(case, world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@fuzz_settings
def test_staff_requests_conform_to_the_schema(case, world, staff_token):
    case.call_and_validate(headers={"Authorization": f"Token {staff_token}"}, checks=CHECKS)
