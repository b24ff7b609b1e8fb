"""`manage.py seed_locations`: the 205 locations of data/nicaventas/locations.csv, idempotent."""

import pytest
from django.core.management import CommandError, call_command

from availability.models import Location
from availability.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_seed_loads_the_205_locations_with_11_active(capsys):
    call_command("seed_locations")

    assert Location.objects.count() == 205
    assert Location.objects.filter(active=True).count() == 11
    assert Location.objects.get(country="ni", city="Leon").active is True
    assert Location.objects.get(country="co", city="Bogotá").active is False
    assert "205 created" in capsys.readouterr().out


def test_seed_twice_adds_nothing_twice(capsys):
    call_command("seed_locations")
    call_command("seed_locations")

    assert Location.objects.count() == 205
    assert "0 created, 0 updated, 205 unchanged" in capsys.readouterr().out


def test_seed_keeps_what_operators_changed_unless_reset(api_client):
    LocationFactory(country="ni", city="LEON", active=False)

    call_command("seed_locations")
    assert Location.objects.get(country="ni", city__iexact="leon").active is False

    api_client.get("/active?country=ni&city=Leon")  # cached as inactive
    call_command("seed_locations", "--reset")
    assert Location.objects.count() == 205
    assert api_client.get("/active?country=ni&city=Leon").json() == {
        "active": True,
        "country": "ni",
        "city": "LEON",
        "cache": "miss",
    }


def test_seed_of_a_bad_file_fails_with_a_message_and_writes_nothing(tmp_path):
    bad = tmp_path / "locations.csv"
    bad.write_text("country,city,active\nni,Leon,true\nnic,Leon,maybe\n", encoding="utf-8")

    with pytest.raises(CommandError, match="active must be true or false"):
        call_command("seed_locations", "--file", str(bad))
    assert not Location.objects.exists()


def test_seed_of_a_missing_file_fails_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="seed_locations"):
        call_command("seed_locations", "--file", str(tmp_path / "nope.csv"))
