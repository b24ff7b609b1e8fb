"""Serializer fields shared by the apps: text that is text, and storable in every database."""

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A string and nothing else (DRF's CharField turns 12 into "12"), valid as UTF-8.

    A lone surrogate (legal in JSON, `"\\ud800"`) cannot be encoded, so no database can store it:
    refuse it as bad input instead of failing on save.
    """

    default_error_messages = {
        "not_a_string": "Not a valid string.",
        "surrogates": "Contains characters that are not valid Unicode (unpaired surrogates).",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")  # its own key: subclasses such as EmailField redefine "invalid"
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("surrogates")
        return super().to_internal_value(data)
