"""The comments API: post a comment, list a content item's comments, read one, remove one (staff)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response

from comments.models import CONTENT_ID_MAX, Comment
from comments.pagination import CommentListPagination
from comments.selectors import CommentRows
from comments.serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    comment_as_data,
    comment_data,
    content_id_error,
)
from comments.throttling import CommentRateThrottle

POSITIVE_INT64 = {"type": "integer", "format": "int64", "minimum": 1, "maximum": CONTENT_ID_MAX}


class CommentCreateView(generics.CreateAPIView):
    """Post a comment on a content item. Public, and limited per client IP (429 beyond the rate)."""

    serializer_class = CommentCreateSerializer
    permission_classes = [AllowAny]
    throttle_classes = [CommentRateThrottle]
    filter_backends = []

    @extend_schema(
        operation_id="comment_create",
        tags=["comments"],
        responses={
            201: inline_serializer(
                "CommentCreated",
                {
                    "status": serializers.CharField(help_text="SUCCESS"),
                    "message": serializers.CharField(),
                    "comment": CommentSerializer(),
                },
            )
        },
        parameters=[OpenApiParameter("Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201])],
    )
    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = serializer.save()
        body = {
            "status": "SUCCESS",
            "message": f"comment created and associated with content_id {comment.content_id}",
            "comment": comment_as_data(comment),
        }
        location = request.build_absolute_uri(reverse("comment-detail", args=[comment.pk]))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class CommentListView(generics.ListAPIView):
    """The comments of one content item, oldest first, as a JSON array; long lists are paged."""

    serializer_class = CommentSerializer
    permission_classes = [AllowAny]
    pagination_class = CommentListPagination
    filter_backends = []  # the order is the contract: oldest first

    @extend_schema(
        operation_id="comment_list",
        tags=["comments"],
        parameters=[
            OpenApiParameter("content_id", POSITIVE_INT64, OpenApiParameter.PATH),
            OpenApiParameter(
                "X-Total-Count",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=[200],
                description="How many comments the content item has, over all pages.",
            ),
            OpenApiParameter(
                "Link",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=[200],
                description='Links to the next and previous pages: `<url>; rel="next", <url>; rel="prev"`.',
            ),
        ],
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_content_id(self) -> int:
        content_id = self.kwargs["content_id"]
        error = content_id_error(content_id)
        if error:
            raise ValidationError({"content_id": [error]})
        return int(content_id)

    def get_queryset(self):
        return Comment.objects.filter(content_id=self.get_content_id()).order_by("id")

    def list(self, request, *args, **kwargs):
        content_id = self.get_content_id()
        # A page is read with the list's compiled statement (comments.selectors), one query.
        rows = self.paginate_queryset(CommentRows(content_id))
        if not rows:
            raise NotFound(f"content_id {content_id} not found")
        return self.get_paginated_response([comment_data(*row) for row in rows])


class CommentDetailView(generics.RetrieveDestroyAPIView):
    """One comment; staff remove it (moderation) with DELETE."""

    serializer_class = CommentSerializer
    queryset = Comment.objects.all()
    filter_backends = []

    def get_permissions(self):
        return [IsAdminUser()] if self.request.method == "DELETE" else [AllowAny()]

    def get_object(self):
        pk = int(self.kwargs["id"])  # the URL pattern admits digits only
        comment = Comment.objects.filter(pk=pk).first() if pk <= CONTENT_ID_MAX else None
        if comment is None:
            raise NotFound(f"comment {pk} not found")
        self.check_object_permissions(self.request, comment)
        return comment

    @extend_schema(
        operation_id="comment_retrieve",
        tags=["comments"],
        parameters=[OpenApiParameter("id", POSITIVE_INT64, OpenApiParameter.PATH)],
    )
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)

    @extend_schema(
        operation_id="comment_destroy",
        tags=["comments"],
        parameters=[OpenApiParameter("id", POSITIVE_INT64, OpenApiParameter.PATH)],
        responses={
            200: inline_serializer(
                "CommentDeleted",
                {"status": serializers.CharField(help_text="SUCCESS"), "message": serializers.CharField()},
            )
        },
    )
    def delete(self, request, *args, **kwargs):
        return self.destroy(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return Response(comment_as_data(self.get_object()))

    def destroy(self, request, *args, **kwargs):
        comment = self.get_object()
        pk = comment.pk
        comment.delete()
        return Response({"status": "SUCCESS", "message": f"comment {pk} deleted"})
