"""`manage.py seed_conditions`: products.csv and rules.csv, over the seeded locations, idempotent."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from availability.models import PriceRule, Product
from availability.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def locations():
    call_command("seed_locations")


def test_seed_loads_the_products_and_44_rules(locations, capsys):
    call_command("seed_conditions")

    assert list(Product.objects.values_list("sku", "price")) == [
        ("AZ00001", Decimal("10.00")),
        ("AZ00002", Decimal("1.00")),
    ]
    assert PriceRule.objects.count() == 44
    rain = PriceRule.objects.get(
        product__sku="AZ00001", location__country="ni", location__city="Leon", min_condition=500
    )
    assert (rain.max_condition, rain.variation) == (599, Decimal("1.50"))
    assert "Products: 2 created" in capsys.readouterr().out


def test_seed_twice_adds_nothing_twice(locations, capsys):
    call_command("seed_conditions")
    call_command("seed_conditions")

    assert Product.objects.count() == 2
    assert PriceRule.objects.count() == 44
    assert "Price rules: 0 created, 0 updated, 44 unchanged" in capsys.readouterr().out


def test_seed_keeps_edited_prices_unless_reset(locations):
    call_command("seed_conditions")
    Product.objects.filter(sku="AZ00001").update(price=Decimal("12.00"))
    PriceRule.objects.update(variation=Decimal("2.00"))

    call_command("seed_conditions")
    assert Product.objects.get(sku="AZ00001").price == Decimal("12.00")

    call_command("seed_conditions", "--reset")
    assert Product.objects.get(sku="AZ00001").price == Decimal("10.00")
    assert not PriceRule.objects.filter(variation=Decimal("2.00")).exists()


def test_seed_before_the_locations_fails_and_writes_nothing():
    with pytest.raises(CommandError, match="run seed_locations first"):
        call_command("seed_conditions")

    assert not Product.objects.exists()


def test_seed_of_a_rule_for_an_unknown_sku_fails(locations, tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text(
        "country,city,sku,min_condition,max_condition,variation\nni,Leon,ZZ1,500,599,1.5\n", encoding="utf-8"
    )

    with pytest.raises(CommandError, match="unknown sku 'ZZ1'"):
        call_command("seed_conditions", "--rules", str(rules))
    assert not Product.objects.exists()


def test_a_reset_drops_the_cached_lookups_of_the_products_it_changes(locations, api_client):
    ProductFactory(sku="AZ00001", price=Decimal("12.00"))
    assert api_client.get("/price/AZ00001").json()["price"] == "12.00"

    call_command("seed_conditions", "--reset")

    assert api_client.get("/price/AZ00001").json()["price"] == "10.00"
