"""OpenAPI helpers: every operation documents the error answers it can give, in the one shape."""

from drf_spectacular import openapi
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="INVALID, NOT-FOUND, THROTTLED, ... (one word per status)")
    message = serializers.CharField(help_text="One sentence a person can act on.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages, for validation failures only.",
    )


# Answers any operation can give: bad query or body, auth, unknown object, Accept header it cannot
# serve, throttling, the database being down.
COMMON_ERRORS = (400, 401, 403, 404, 406, 429, 503)
BODY_ERRORS = (413, 415)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus the error responses that the exception handler produces."""

    extra_error_codes: tuple[int, ...] = ()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = [*COMMON_ERRORS, *getattr(self.view, "extra_error_codes", ())]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.extend(BODY_ERRORS)
        for code in sorted(set(codes)):
            key = str(code)
            if key not in responses:
                responses[key] = self._get_response_for_code(ErrorSerializer, key, direction=direction)
        return responses
