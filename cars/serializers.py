"""Serializers of the cars API: the car itself and the envelopes it travels in."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cars.models import Car

# What the field accepts, told to the schema: some non-space text and no NUL character
# (the serializer trims surrounding spaces and refuses blank text and NUL).
TEXT_PATTERN = r"^[^\u0000]*\S[^\u0000]*$"


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 100, "pattern": TEXT_PATTERN})
class CarTextField(serializers.CharField):
    pass


class CarSerializer(serializers.ModelSerializer):
    name = CarTextField(max_length=100)
    model = CarTextField(max_length=100)

    class Meta:
        model = Car
        fields = ["id", "name", "model", "doors"]


class CarEnvelopeSerializer(serializers.Serializer):
    """`{"message": ..., "car": {...}}`: the answer of get, create and update."""

    message = serializers.CharField()
    car = CarSerializer()


class MessageSerializer(serializers.Serializer):
    """`{"message": ...}`: the answer of delete."""

    message = serializers.CharField()
