"""Reads of the comments app: one content item's comments a page at a time, and one comment."""

from datetime import UTC

from django.db import connection

from comments.models import Comment

COMMENT_FIELDS = ("id", "email", "comment", "content_id", "created_at")

# The list's page as literal SQL: building and compiling a queryset costs more than the query.
# Columns: COMMENT_FIELDS.
COMMENT_PAGE_SQL = (
    "SELECT id, email, comment, content_id, created_at FROM comments_comment "
    "WHERE content_id = %s ORDER BY id LIMIT %s OFFSET %s"
)


def comment_page(*, content_id: int, offset: int, limit: int) -> list[tuple]:
    """Rows of COMMENT_FIELDS of the comments on `content_id`, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(COMMENT_PAGE_SQL, [content_id, limit, offset])
        rows = cursor.fetchall()
    if rows and rows[0][-1].tzinfo is None:
        # SQLite hands back the stored text as a naive datetime; Django stores it there in UTC.
        rows = [(*row[:-1], row[-1].replace(tzinfo=UTC)) for row in rows]
    return rows


def comment_count(*, content_id: int) -> int:
    return Comment.objects.filter(content_id=content_id).count()


def comment_get(*, comment_id: int) -> tuple | None:
    """The row of COMMENT_FIELDS of one comment, or None."""
    return Comment.objects.filter(pk=comment_id).values_list(*COMMENT_FIELDS).first()
