"""Validation and representation of comments: strict types, text kept exactly as sent."""

import re
from datetime import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comments.models import COMMENT_MAX_LENGTH
from core.fields import MAX_ID, StrictCharField, positive_int

NOT_AN_INTEGER = "A valid integer is required."
AT_LEAST_ONE = "Ensure this value is greater than or equal to 1."
POSITIVE_INT64 = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


def _decimal_at_most(limit: int) -> str:
    """A regular expression of the decimal numbers 1..limit without leading zeros: the schema publishes
    it, so that the strings it allows as a content_id are exactly those the API accepts."""
    digits = str(limit)
    choices = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"]  # fewer digits
    for position, digit in enumerate(digits):  # as many: the same first digits, then a smaller one
        lowest = "1" if position == 0 else "0"
        if digit > lowest:
            rest = len(digits) - position - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            choices.append(f"{digits[:position]}[{lowest}-{int(digit) - 1}]{tail}")
    return f"^(?:{'|'.join([*choices, digits])})$"


CONTENT_ID_PATTERN = _decimal_at_most(MAX_ID)


def content_id_error(value: object) -> str | None:
    """Why `value` is not a content id (None when it is one): an int, or its decimal string."""
    if isinstance(value, int) and not isinstance(value, bool):  # True must not mean content 1
        value = str(value)
    number = value.removeprefix("-") if isinstance(value, str) else ""
    if not (number.isascii() and number.isdigit()):
        return NOT_AN_INTEGER
    significant = number.lstrip("0")
    if number != value or not significant:
        return AT_LEAST_ONE
    if positive_int(significant) is None:
        return f"Ensure this value is less than or equal to {MAX_ID}."
    return "Write the number without leading zeros." if significant != number else None


@extend_schema_field(
    {
        "oneOf": [POSITIVE_INT64, {"type": "string", "pattern": CONTENT_ID_PATTERN}],
        "description": 'A positive integer; a decimal string is the same id ("1" == 1).',
    }
)
class ContentIdField(serializers.Field):
    """A positive 64-bit integer; its decimal string is the same id; booleans and floats are refused."""

    def to_internal_value(self, data):
        if error := content_id_error(data):
            raise serializers.ValidationError(error)
        return int(data)

    def to_representation(self, value):
        return value


class StrictEmailField(StrictCharField, serializers.EmailField):
    pass


# "Not blank" means a character outside ECMAScript's `\s`, the class of the schema's `pattern`, so
# that the published rule (not blank, no NUL) and ours agree on every string. Ours checks the two
# apart (DRF's CharField refuses NUL): the one pattern backtracks quadratically in Python.
WHITESPACE = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = re.compile(f"[^{WHITESPACE}]")
COMMENT_PATTERN = f"^[^\\u0000]*[^{WHITESPACE}\\u0000][^\\u0000]*$"


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": COMMENT_MAX_LENGTH, "pattern": COMMENT_PATTERN}
)
class CommentTextField(StrictCharField):
    """The comment as sent, byte for byte: no trimming, but text made only of whitespace is blank."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, max_length=COMMENT_MAX_LENGTH, **kwargs)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and not NOT_BLANK.search(data):
            self.fail("blank")
        return super().run_validation(data)


# Declared fields, not a ModelSerializer: it introspects the model on every request.
class CommentCreateSerializer(serializers.Serializer):
    """The body of POST /api/comment/new; unknown fields are ignored."""

    email = StrictEmailField(max_length=254)
    comment = CommentTextField(style={"base_template": "textarea.html"})
    content_id = ContentIdField()


# The schema of what `comment_data` builds.
class CommentSerializer(serializers.Serializer):
    """A stored comment."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    comment = serializers.CharField(read_only=True)
    content_id = serializers.IntegerField(read_only=True, min_value=1, max_value=MAX_ID)
    created_at = serializers.DateTimeField(read_only=True)


class CommentDeletedSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="SUCCESS")
    message = serializers.CharField()


class CommentCreatedSerializer(CommentDeletedSerializer):
    comment = CommentSerializer()


def comment_data(id: int, email: str, comment: str, content_id: int, created_at: datetime) -> dict[str, Any]:
    """A row of comments.selectors.COMMENT_FIELDS as CommentSerializer's JSON, without a serializer
    pass per row of a list of 100. The date is UTC (naive from SQLite), with "Z" as DRF writes it."""
    stamp = created_at.replace(tzinfo=None).isoformat() + "Z"
    return {"id": id, "email": email, "comment": comment, "content_id": content_id, "created_at": stamp}
