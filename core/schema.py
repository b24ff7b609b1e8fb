"""OpenAPI (drf-spectacular, DEFAULT_SCHEMA_CLASS): every operation documents its error answers."""

from drf_spectacular import openapi
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

# From a dict: in a class body, type checkers take a field named `errors` for Serializer.errors.
ERROR = inline_serializer(
    "Error",
    {
        "status": serializers.CharField(help_text="INVALID, NOT-FOUND, THROTTLED, ... (one word per status)"),
        "message": serializers.CharField(help_text="One sentence a person can act on."),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="Per-field messages, for validation failures only.",
        ),
    },
)


# What any operation can answer: bad input, auth, no such object, Accept, throttled, no database.
COMMON_ERRORS = (400, 401, 403, 404, 406, 429, 503)
BODY_ERRORS = (413, 415)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with the error answers; a view adds its own: `extra_error_codes = (502, 504)`."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:  # excluded from the schema
            return None
        codes = {*COMMON_ERRORS, *getattr(self.view, "extra_error_codes", ())}
        if self.method in ("POST", "PUT", "PATCH"):
            codes.update(BODY_ERRORS)
        error = {"content": {"application/json": {"schema": self.resolve_serializer(ERROR, "response").ref}}}
        responses = operation["responses"]
        for code in sorted(codes):
            responses.setdefault(str(code), {**error, "description": ""})
        return operation
