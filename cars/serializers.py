"""Serializers of the cars API: the car itself and the envelopes it travels in."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from cars.models import Car
from core.fields import StrictCharField

# What the field accepts, told to the schema: some non-space text and no NUL character.
TEXT_PATTERN = r"^[^\u0000]*\S[^\u0000]*$"


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 100, "pattern": TEXT_PATTERN})
class CarTextField(StrictCharField):
    pass


class CarDoorsField(serializers.IntegerField):
    """A JSON integer (`4`, or `4.0`); text such as `"4"` only from an HTML form, where all is text."""

    def to_internal_value(self, data):
        # IntegerField itself refuses booleans and fractions, but would read the text "4" as 4.
        if isinstance(data, str) and not html.is_html_input(getattr(self.root, "initial_data", None)):
            self.fail("invalid")
        return super().to_internal_value(data)


class CarSerializer(serializers.ModelSerializer):
    name = CarTextField(max_length=100)
    model = CarTextField(max_length=100)
    doors = CarDoorsField(min_value=0, max_value=10)

    class Meta:
        model = Car
        fields = ["id", "name", "model", "doors"]


class MessageSerializer(serializers.Serializer):
    """`{"message": ...}`: the answer of delete."""

    message = serializers.CharField()


class CarEnvelopeSerializer(MessageSerializer):
    """`{"message": ..., "car": {...}}`: the answer of get, create and update."""

    car = CarSerializer()
