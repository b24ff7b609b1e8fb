"""Validation shared by the apps: the 64-bit id bound, positive integers, and text storable everywhere."""

from rest_framework import serializers

# The largest value of a 64-bit integer column (BigAutoField ids, content ids): a larger number
# names nothing and must not reach the database, where it would be an error rather than "no row".
MAX_ID = 2**63 - 1


def positive_int(raw: str, *, maximum: int = MAX_ID) -> int | None:
    """`raw` as an int when it is plain ASCII digits between 1 and `maximum`, else None."""
    # The length test first: int() refuses strings of more than 4,300 digits with a ValueError.
    if not (raw.isascii() and raw.isdigit()) or len(raw.lstrip("0")) > len(str(maximum)):
        return None
    value = int(raw)
    return value if 1 <= value <= maximum else None


class StrictCharField(serializers.CharField):
    """A string and nothing else (DRF's CharField turns 12 into "12"), valid as UTF-8: a lone
    surrogate (legal in JSON, `"\\ud800"`) fits no database, so it is bad input, not a failed save."""

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
