"""POST /api/comment/new: every validation rule answers 400 with the field's message, and stores nothing."""

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db

MAX = 2**63 - 1
VALID = {"email": "alice@example.com", "comment": "first post!", "content_id": 1}


def invalid(response, field, message):
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "INVALID"
    assert body["errors"] == {field: [message]}
    assert body["message"] == f"Invalid input. {field}: {message}"
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "Ensure this value is greater than or equal to 1."),
        (-1, "Ensure this value is greater than or equal to 1."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-5", "Ensure this value is greater than or equal to 1."),
        (MAX + 1, f"Ensure this value is less than or equal to {MAX}."),
        (10**30, f"Ensure this value is less than or equal to {MAX}."),
        (str(MAX + 1), f"Ensure this value is less than or equal to {MAX}."),
        ("9" * 5000, f"Ensure this value is less than or equal to {MAX}."),
        ("01", "Write the number without leading zeros."),
        (True, "A valid integer is required."),
        (False, "A valid integer is required."),
        (1.5, "A valid integer is required."),
        (1.0, "A valid integer is required."),
        ("1.5", "A valid integer is required."),
        ("1e3", "A valid integer is required."),
        ("one", "A valid integer is required."),
        ("", "A valid integer is required."),
        (" 1", "A valid integer is required."),
        ("1\n", "A valid integer is required."),
        ("\u0661", "A valid integer is required."),  # ARABIC-INDIC DIGIT ONE: a digit, not ASCII
        ([1], "A valid integer is required."),
        ({"id": 1}, "A valid integer is required."),
        (None, "This field may not be null."),
    ],
    ids=lambda value: ascii(value)[:30],
)
def test_content_id_must_be_a_positive_64_bit_integer(post_comment, value, message):
    invalid(post_comment(content_id=value), "content_id", message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not-an-email", "Enter a valid email address."),
        ("alice@", "Enter a valid email address."),
        ("@example.com", "Enter a valid email address."),
        ("alice@example", "Enter a valid email address."),
        ("a b@example.com", "Enter a valid email address."),
        ("", "This field may not be blank."),
        ("   ", "This field may not be blank."),
        ("a" * 250 + "@example.com", "Ensure this field has no more than 254 characters."),
        (42, "Not a valid string."),
        (True, "Not a valid string."),
        (["alice@example.com"], "Not a valid string."),
        (None, "This field may not be null."),
    ],
    ids=lambda value: ascii(value)[:30],
)
def test_email_must_be_a_valid_address(post_comment, value, message):
    invalid(post_comment(email=value), "email", message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "This field may not be blank."),
        (" ", "This field may not be blank."),
        ("\n\t \u3000", "This field may not be blank."),
        ("x" * 10_001, "Ensure this field has no more than 10000 characters."),
        ("🎉" * 10_001, "Ensure this field has no more than 10000 characters."),
        (123, "Not a valid string."),
        (1.5, "Not a valid string."),
        (False, "Not a valid string."),
        (["first post!"], "Not a valid string."),
        ({"text": "hi"}, "Not a valid string."),
        (None, "This field may not be null."),
        ("nul \x00 byte", "Null characters are not allowed."),
    ],
    ids=lambda value: ascii(value)[:30],
)
def test_comment_must_be_non_empty_text_of_at_most_10000_characters(post_comment, value, message):
    invalid(post_comment(comment=value), "comment", message)


@pytest.mark.parametrize("field", ["email", "comment", "content_id"])
def test_every_field_is_required(post_comment, field):
    body = {key: value for key, value in VALID.items() if key != field}

    invalid(post_comment(body), field, "This field is required.")


def test_an_empty_body_lists_every_missing_field(post_comment):
    response = post_comment({})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": ["This field is required."],
        "comment": ["This field is required."],
        "content_id": ["This field is required."],
    }
    assert response.json()["message"] == (
        "Invalid input. email: This field is required. comment: This field is required. "
        "content_id: This field is required."
    )


@pytest.mark.parametrize(
    ("field", "json_body"),
    [
        ("comment", '{"email": "a@example.com", "comment": "bad \\ud800 text", "content_id": 1}'),
        ("comment", '{"email": "a@example.com", "comment": "\\udc00", "content_id": 1}'),
        ("email", '{"email": "a\\ud800@example.com", "comment": "hi", "content_id": 1}'),
    ],
)
def test_unpaired_surrogates_are_refused(api_client, db, field, json_body):
    # An unpaired surrogate arrives as a \u escape inside otherwise valid JSON; no database could store it.
    response = api_client.post("/api/comment/new", json_body, content_type="application/json")

    invalid(response, field, "Contains characters that are not valid Unicode (unpaired surrogates).")
