"""Reads of the comments app on its hot path: one content item's comments, a page at a time."""

from comments.models import Comment
from comments.serializers import COMMENT_FIELDS
from core.sql import CompiledQuery

# The list endpoint's statement: the ORM's SQL, compiled once (core.sql explains why).
_COMMENTS_OF = CompiledQuery(
    lambda content_id: (
        Comment.objects.filter(content_id=content_id).order_by("id").values_list(*COMMENT_FIELDS)
    ),
    arity=1,
)


class CommentRows:
    """The comments of one content item, oldest first, as rows of COMMENT_FIELDS.

    Sliced and counted like the queryset it stands for (`rows[10:20]`, `rows.count()`), so that the
    pagination reads one page with one query.
    """

    def __init__(self, content_id: int):
        self.content_id = content_id

    def __getitem__(self, window: slice) -> list[tuple]:
        start = window.start or 0
        return _COMMENTS_OF.rows(self.content_id, limit=window.stop - start, offset=start)

    def count(self) -> int:
        return Comment.objects.filter(content_id=self.content_id).count()
