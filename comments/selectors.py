"""Reads of the comments app: one content item's comments a page at a time, and one comment."""

from django.db import connection

from comments.models import Comment

COMMENT_FIELDS = ("id", "email", "comment", "content_id", "created_at")

# The list's page as literal SQL: building and compiling a queryset costs more than the query.
# Columns: COMMENT_FIELDS.
COMMENT_PAGE_SQL = (
    "SELECT id, email, comment, content_id, created_at FROM comments_comment "
    "WHERE content_id = %s ORDER BY id LIMIT %s OFFSET %s"
)


def comment_page(*, content_id: int, offset: int, limit: int) -> tuple[list[tuple], int]:
    """Rows of COMMENT_FIELDS of the comments on `content_id`, oldest first, and how many there are.

    One row more than the page tells whether any follow; only then, or past the end, are they
    counted: a list that fits in one page costs one query.
    """
    with connection.cursor() as cursor:
        cursor.execute(COMMENT_PAGE_SQL, [content_id, limit + 1, offset])
        rows = cursor.fetchall()
    if len(rows) > limit or (offset and not rows):
        return rows[:limit], Comment.objects.filter(content_id=content_id).count()
    return rows, offset + len(rows)


def comment_get(*, comment_id: int) -> tuple | None:
    """The row of COMMENT_FIELDS of one comment, or None."""
    return Comment.objects.filter(pk=comment_id).values_list(*COMMENT_FIELDS).first()
