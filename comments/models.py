"""Comments on content items, stored in the database so that every web process sees the same ones."""

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from core.fields import MAX_ID

COMMENT_MAX_LENGTH = 10_000


class Comment(models.Model):
    content_id = models.PositiveBigIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ID)],
        help_text="The content item the comment belongs to (a positive integer).",
    )
    email = models.EmailField(max_length=254)
    comment = models.TextField(validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The list endpoint: WHERE content_id = ? ORDER BY id, an index-only range scan.
            models.Index(fields=["content_id", "id"], name="comment_content_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(content_id__gte=1), name="comment_content_id_positive"),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("comment"), 1)
                & LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH),
                name="comment_comment_length",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on content_id {self.content_id} by {self.email}"
