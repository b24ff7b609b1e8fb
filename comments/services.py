"""Writes of the comments app: post a comment, remove one (moderation)."""

from datetime import datetime

from django.db import connection
from django.utils import timezone

from comments.models import Comment
from core.errors import NotFound

# The INSERT of every posted comment as literal SQL (the ORM would build and compile it each time).
# Returns the new row's id.
COMMENT_INSERT_SQL = (
    "INSERT INTO comments_comment (content_id, email, comment, created_at) "
    "VALUES (%s, %s, %s, %s) RETURNING id"
)
CREATED_AT = Comment._meta.get_field("created_at")


class CommentNotFound(NotFound):
    def __init__(self, comment_id: object):
        super().__init__(f"comment {comment_id} not found")


def comment_create(*, content_id: int, email: str, comment: str) -> tuple[int, str, str, int, datetime]:
    """Store a comment; its row of comments.selectors.COMMENT_FIELDS."""
    created_at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            COMMENT_INSERT_SQL,
            [content_id, email, comment, CREATED_AT.get_db_prep_value(created_at, connection)],
        )
        (comment_id,) = cursor.fetchone()
    return comment_id, email, comment, content_id, created_at


def comment_delete(*, comment_id: int) -> None:
    """Remove the comment in one DELETE whose row count decides a race; CommentNotFound if there is none."""
    deleted, _ = Comment.objects.filter(pk=comment_id).delete()
    if not deleted:
        raise CommentNotFound(comment_id)
