"""Serializers of the cars API: the car itself and the envelopes it travels in."""

from rest_framework import serializers

from cars.models import Car


class CarSerializer(serializers.ModelSerializer):
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
