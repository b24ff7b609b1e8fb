"""Validation of what clients send about Rollbar items and reports, and the documented answer shapes."""

from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers

from core.fields import MAX_ID
from rollbar_items import services
from rollbar_items.models import Report


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict:
    """`data` validated by `serializer_class` (a ValidationError if not), which keeps only its fields."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class Text(serializers.CharField):
    """Text passed on to Rollbar as sent: kept untrimmed, NUL allowed (JSON carries it; we store none)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_internal_value(self, data):
        if not isinstance(data, str):  # DRF would turn 0 into "0"; the schema says string
            self.fail("invalid")
        return super().to_internal_value(data)


class ItemListQuerySerializer(serializers.Serializer):
    """`GET /items` query: each filter may repeat (OR), as on Rollbar."""

    status = serializers.ListField(child=serializers.ChoiceField(services.ITEM_STATUSES), required=False)
    level = serializers.ListField(child=serializers.ChoiceField(services.LEVELS), required=False)
    environment = serializers.ListField(child=Text(max_length=255), required=False)
    page = serializers.IntegerField(
        min_value=1,
        max_value=1_000_000,
        default=1,
        help_text="Rollbar's page number, from 1 (100 items a page).",
    )


class ItemCreateSerializer(serializers.Serializer):
    """What `POST /items` accepts; it becomes one Rollbar occurrence with a message body."""

    message = Text(max_length=10_000, help_text="The occurrence's message body.")
    environment = Text(max_length=255, default="production")
    level = serializers.ChoiceField(
        services.LEVELS, required=False, help_text="Rollbar's default for a message is info."
    )
    title = Text(max_length=255, required=False)
    fingerprint = Text(
        max_length=255, required=False, help_text="Occurrences with the same fingerprint group into one item."
    )
    code_version = Text(max_length=40, required=False)
    custom = serializers.DictField(required=False, help_text="Any extra metadata, stored on the occurrence.")


class ItemCreatedSerializer(serializers.Serializer):
    uuid = serializers.CharField(help_text="The occurrence's uuid; Rollbar creates the item asynchronously.")


class ItemUpdateSerializer(serializers.Serializer):
    """The fields of Rollbar's PATCH /item/:id this API passes on (any other key is ignored), and
    Rollbar's answer: the fields sent, echoed back. An empty body changes nothing (an unknown id is
    still a 404)."""

    status = serializers.ChoiceField(services.UPDATE_STATUSES, required=False)
    level = serializers.ChoiceField(services.LEVELS, required=False)
    title = Text(min_length=1, max_length=255, required=False)
    resolved_in_version = Text(
        max_length=40, required=False, allow_null=True, help_text='Rollbar uses it with "status": "resolved".'
    )
    assigned_user_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text="null unassigns."
    )


class ItemSerializer(serializers.Serializer):
    """A Rollbar item, passed through as Rollbar returns it: these fields and more (documentation only)."""

    id = serializers.IntegerField(help_text="System-wide id, used in /items/<id>.")
    counter = serializers.IntegerField(required=False, help_text="Per-project number shown in Rollbar's UI.")
    title = serializers.CharField(required=False)
    level = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
    environment = serializers.CharField(required=False)
    total_occurrences = serializers.IntegerField(required=False)
    last_occurrence_timestamp = serializers.IntegerField(required=False, help_text="Unix seconds.")


class ItemPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True, help_text="Rollbar's total_count (null above 100k).")
    page = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    items = ItemSerializer(many=True, help_text="Up to 100 items, Rollbar's page size.")


class ReportSerializer(serializers.ModelSerializer):
    params = serializers.DictField(read_only=True, help_text="The query sent to Rollbar.")
    content = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text='Rollbar\'s top_active_items result: [{"item": {...}, "counts": [...]}, ...].',
    )

    class Meta:
        model = Report
        fields = ("id", "kind", "params", "fetched_at", "content")
        read_only_fields = fields


class ReportFetchSerializer(serializers.Serializer):
    """Parameters of Rollbar's top-active-items report (`POST /reports` body, `GET /reports` query)."""

    hours = serializers.IntegerField(min_value=1, max_value=168, default=24, help_text="The report's window.")
    environments = serializers.ListField(
        child=Text(min_length=1, max_length=255),
        default=list,
        help_text="Only these environments (in a query string, also comma-separated).",
    )

    def to_internal_value(self, data):
        # In a query string the environments come comma-separated, as Rollbar takes them.
        if hasattr(data, "getlist") and "environments" in data:
            data = data.copy()
            values = [e for value in data.getlist("environments") for e in value.split(",") if e]
            data.setlist("environments", values)
        return super().to_internal_value(data)


class ReportsClearedSerializer(serializers.Serializer):
    message = serializers.CharField()
