"""Validation and representation of comments: strict types, text kept exactly as sent."""

import re
from datetime import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comments.models import COMMENT_MAX_LENGTH
from core.fields import MAX_ID, StrictCharField, positive_int


def _decimal_at_most(limit: int) -> str:
    """A regular expression matching the decimal numbers 1..limit, written without leading zeros.

    The OpenAPI schema publishes it, so that what the schema allows for a string content_id is exactly
    what the API accepts.
    """
    digits = str(limit)
    shorter = f"[1-9][0-9]{{0,{len(digits) - 2}}}"
    same_length = []
    for position, digit in enumerate(digits):
        lowest = "1" if position == 0 else "0"
        if digit > lowest:
            rest = len(digits) - position - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            same_length.append(f"{digits[:position]}[{lowest}-{int(digit) - 1}]{tail}")
    same_length.append(digits)
    return f"^(?:{shorter}|{'|'.join(same_length)})$"


CONTENT_ID_PATTERN = _decimal_at_most(MAX_ID)

CONTENT_ID_SCHEMA = {
    "oneOf": [
        {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID},
        {"type": "string", "pattern": CONTENT_ID_PATTERN},
    ],
    "description": 'A positive integer; a decimal string is the same id ("1" == 1).',
}

CONTENT_ID_ERRORS = {
    "invalid": "A valid integer is required.",
    "min_value": "Ensure this value is greater than or equal to 1.",
    "max_value": f"Ensure this value is less than or equal to {MAX_ID}.",
}


def content_id_error(value: object) -> str | None:
    """Why `value` is not a content id (None when it is one): an int, or its decimal string."""
    if isinstance(value, int) and not isinstance(value, bool):  # True must not mean content 1
        if value < 1:
            return CONTENT_ID_ERRORS["min_value"]
        return CONTENT_ID_ERRORS["max_value"] if value > MAX_ID else None
    number = value.removeprefix("-") if isinstance(value, str) else ""
    if not (number.isascii() and number.isdigit()):
        return CONTENT_ID_ERRORS["invalid"]
    significant = number.lstrip("0")
    if number != value or not significant:
        return CONTENT_ID_ERRORS["min_value"]
    if positive_int(significant) is None:
        return CONTENT_ID_ERRORS["max_value"]
    return "Write the number without leading zeros." if significant != number else None


@extend_schema_field(CONTENT_ID_SCHEMA)
class ContentIdField(serializers.Field):
    """A positive 64-bit integer; its decimal string is the same id; booleans and floats are refused."""

    def to_internal_value(self, data):
        error = content_id_error(data)
        if error:
            raise serializers.ValidationError(error)
        return int(data)

    def to_representation(self, value):
        return value


class StrictEmailField(StrictCharField, serializers.EmailField):
    pass


# "Not blank" means: has a character outside ECMAScript's `\s`, the class the OpenAPI schema's
# `pattern` uses, so that the published rule and ours agree on every string.
_WHITESPACE = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_NOT_BLANK = re.compile(f"[^{_WHITESPACE}]")
# The published rule: not blank, and no NUL character (refused by DRF's CharField, as no database
# stores it). Ours checks the two apart: this single pattern backtracks quadratically in Python.
COMMENT_PATTERN = f"^[^\\u0000]*[^{_WHITESPACE}\\u0000][^\\u0000]*$"


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": COMMENT_MAX_LENGTH, "pattern": COMMENT_PATTERN}
)
class CommentTextField(StrictCharField):
    """The comment as sent, byte for byte: no trimming, but text made only of whitespace is blank."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, max_length=COMMENT_MAX_LENGTH, **kwargs)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and not _NOT_BLANK.search(data):
            self.fail("blank")
        return super().run_validation(data)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID})
class ContentIdOutputField(serializers.ReadOnlyField):
    pass


# Plain serializers with declared fields, not ModelSerializer: building fields by model
# introspection on every request was a third of the cost of a POST.
class CommentCreateSerializer(serializers.Serializer):
    """The body of POST /api/comment/new; unknown fields are ignored."""

    email = StrictEmailField(max_length=254)
    comment = CommentTextField(style={"base_template": "textarea.html"})
    content_id = ContentIdField()


# Documents what `comment_data` builds (the endpoints answer with its output, for speed).
class CommentSerializer(serializers.Serializer):
    """A stored comment."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    comment = serializers.CharField(read_only=True)
    content_id = ContentIdOutputField()
    created_at = serializers.DateTimeField(read_only=True)


def comment_data(id: int, email: str, comment: str, content_id: int, created_at: datetime) -> dict[str, Any]:
    """One comment as JSON-ready data (what CommentSerializer describes), from a row of
    comments.selectors.COMMENT_FIELDS.

    Written by hand because the list endpoint returns up to 100 of them per request, where DRF's
    serializer costs several milliseconds. The date is formatted as DRF formats it (UTC as "Z").
    """
    stamp = created_at.isoformat()
    if stamp.endswith("+00:00"):
        stamp = stamp[:-6] + "Z"
    return {"id": id, "email": email, "comment": comment, "content_id": content_id, "created_at": stamp}
