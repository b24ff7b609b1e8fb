"""Request and response shapes of the availability endpoints."""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from availability.models import Location, Product
from core.fields import StrictCharField

COUNTRY_RE = re.compile(r"[A-Za-z]{2}")


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{2}$", "example": "ni"})
class CountryField(StrictCharField):
    """An ISO 3166-1 alpha-2 code in any case, stored lower-case."""

    default_error_messages = {
        "country": "Enter an ISO 3166-1 alpha-2 country code (two letters), such as ni or es.",
    }

    def __init__(self, **kwargs):
        super().__init__(help_text="ISO 3166-1 alpha-2 country code, any case (stored lower-case)", **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not COUNTRY_RE.fullmatch(value):
            self.fail("country")
        return value.lower()


class CityField(StrictCharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=100, help_text="City name, matched case-insensitively", **kwargs)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only; the browsable API's HTML form may still send "true"/"false"/"on"."""

    default_error_messages = {"invalid": "Must be true or false (a JSON boolean), not {input!r}."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and html.is_html_input(getattr(self.root, "initial_data", None)):
            return super().to_internal_value(data)
        self.fail("invalid", input=data)


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["active", "country", "city"]


class LocationLookupSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    country = serializers.CharField()
    city = serializers.CharField()
    cache = serializers.ChoiceField(
        choices=["miss", "hit"], help_text="Whether the answer came from the cache"
    )


class LocationWriteSerializer(serializers.Serializer):
    country = CountryField()
    city = CityField()
    active = StrictBooleanField()


class LocationQuerySerializer(serializers.Serializer):
    """`GET /active`: `?country=` alone filters the list; with `&city=` it looks up one location."""

    country = CountryField(required=False)
    city = CityField(required=False)

    def validate(self, attrs):
        if "city" in attrs and "country" not in attrs:
            raise serializers.ValidationError({"country": ["Give the country too when looking up a city."]})
        return attrs


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["sku", "description", "price"]


class QuoteRequestSerializer(serializers.Serializer):
    """The body of POST /quote."""

    sku = StrictCharField(max_length=32)
    country = CountryField()
    city = CityField()


class QuoteSerializer(serializers.Serializer):
    sku = serializers.CharField()
    description = serializers.CharField()
    country = serializers.CharField()
    city = serializers.CharField()
    base_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    variation = serializers.DecimalField(max_digits=6, decimal_places=2)
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    cache = serializers.ChoiceField(
        choices=["miss", "hit"], help_text="Whether the quote came from the cache"
    )
