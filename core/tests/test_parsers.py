"""core.parsers.JSONParser gives what DRF's JSONParser gives, data and errors alike."""

import io

import pytest
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.parsers import JSONParser

BODIES = [
    b'{"email": "a@example.com", "comment": "hi", "content_id": 1}',
    b'{"a": [1, 2.5, -0, -0.0, 1e300, true, false, null], "b": {"c": "\\u00e9\\ud83d\\ude00"}}',
    b'{"k": 1, "k": 2}',  # a repeated key: the last one wins
    b'{"content_id": 123456789012345678901234567890}',  # beyond 64 bits: DRF's parser takes it
    b'{"content_id": 18446744073709551616, "n": 18446744073709551615, "m": -9223372036854775809}',
    b'{"content_id": 9223372036854775807, "n": -9223372036854775808, "f": 12345678901234567890.5}',
    b'{"x": NaN}',
    b'{"x": Infinity}',
    b'{"x": "\\ud800"}',  # a lone surrogate escape
    b'{"x": "\xff"}',  # not UTF-8
    b"\xef\xbb\xbf{}",  # a byte order mark
    b'{"x": "tab\there"}',  # a raw control character
    b"",
    b"[1, 2",
    '{"caf\u00e9": "\u00e9"}'.encode(),
]


def parse(parser, body: bytes, encoding: str | None = None):
    context = {"encoding": encoding} if encoding else {}
    try:
        return "data", parser.parse(io.BytesIO(body), "application/json", context)
    except ParseError as error:
        return "error", str(error.detail)


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("encoding", [None, "utf-8", "latin-1"])
def test_same_answer_as_drf(body, encoding):
    ours = parse(JSONParser(), body, encoding)
    drf = parse(parsers.JSONParser(), body, encoding)
    assert ours == drf
    if ours[0] == "data":
        assert repr(ours[1]) == repr(drf[1])  # the same types too (int vs float, -0.0)
