"""URLs of the comments app (the original's paths, with or without a trailing slash)."""

from django.urls import re_path

from comments import views

urlpatterns = [
    re_path(r"^api/comment/new/?$", views.CommentCreateView.as_view(), name="comment-create"),
    re_path(
        r"^api/comment/list/(?P<content_id>[^/]+)/?$",
        views.CommentListView.as_view(),
        name="comment-list",
    ),
    re_path(r"^api/comment/(?P<id>[0-9]+)/?$", views.CommentDetailView.as_view(), name="comment-detail"),
]
