"""URLs of the comments app (the original's paths, with or without a trailing slash)."""

from django.urls import re_path

from comments.views import CommentCreateView, CommentDetailView, CommentListView

urlpatterns = [
    re_path(r"^api/comment/new/?$", CommentCreateView.as_view(), name="comment-create"),
    re_path(r"^api/comment/list/(?P<content_id>[^/]+)/?$", CommentListView.as_view(), name="comment-list"),
    re_path(r"^api/comment/(?P<id>[0-9]+)/?$", CommentDetailView.as_view(), name="comment-detail"),
]
