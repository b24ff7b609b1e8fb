"""The comments API: post a comment, list a content item's comments, read one, remove one (staff)."""

import math
from typing import Any

from django.core.paginator import Paginator
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, BasePermission, IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from comments import selectors, serializers, services
from comments.models import Comment
from core.fields import positive_int
from core.pagination import MAX_OFFSET, HeaderPagination, page_number
from core.throttling import ClientAddressRateThrottle


class FixedWindowRateThrottle(SimpleRateThrottle):
    """Counts requests per key in fixed windows with `incr` and `add`, atomic across processes in Redis
    (DRF's get-then-set of a list of timestamps loses requests that workers write at once). The price:
    a client may spend two windows' allowance around a boundary."""

    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        self.now = self.timer()
        key = f"{self.get_cache_key(request, view)}_{int(self.now // self.duration)}"
        try:  # one round trip for all but the window's first request
            count = self.cache.incr(key)
        except ValueError:  # the window's first request: its key outlives the window, so no `incr`
            # meets its expiry; when another worker added it first, this request counts after it
            count = 1 if self.cache.add(key, 1, self.duration + 1) else self.cache.incr(key)
        return count <= self.num_requests

    def wait(self) -> int:
        return max(1, math.ceil(self.duration - self.now % self.duration))  # until the window ends


class CommentRateThrottle(ClientAddressRateThrottle, FixedWindowRateThrottle):
    """POST /api/comment/new: the `comments` rate (COMMENTS_THROTTLE_RATE) per client address."""

    scope = "comments"


class CommentListPagination(HeaderPagination):
    """`?page=` and `?page_size=` (capped), strictly parsed: anything but a positive integer is a 400."""

    def paginate_comments(self, content_id: int, request: Request) -> list[tuple[Any, ...]]:
        """The page of `content_id`'s comments; 404 past the last page, or when it has none."""
        self.request = request
        size = min(self.get_number(request, self.page_size_query_param, self.page_size), self.max_page_size)
        number = self.get_number(request, self.page_query_param, 1)
        offset = min((number - 1) * size, MAX_OFFSET)  # further is past the end of any list too
        rows, total = selectors.comment_page(content_id=content_id, offset=offset, limit=size)
        if not rows:
            raise NotFound(self.invalid_page_message if total else f"content_id {content_id} not found")
        # The rows are read; the Paginator only works out the links, over a range as long as the list.
        self.page = Paginator(range(total), size).page(number)
        return rows

    def get_number(self, request: Request, name: str, default: int | None) -> int:
        """The query parameter as a positive integer (empty: the default); 400 for anything else."""
        raw = request.query_params.get(name) or str(default)
        number = page_number(raw)
        if number is None:  # zeros are an integer below 1; anything else is no integer
            message = serializers.NOT_AN_INTEGER if raw.strip("0") else serializers.AT_LEAST_ONE
            raise ValidationError({name: [message]})
        return number


@extend_schema_view(
    post=extend_schema(
        operation_id="comment_create",
        tags=["comments"],
        responses={201: serializers.CommentCreatedSerializer},
        parameters=[OpenApiParameter("Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201])],
    )
)
class CommentCreateView(generics.CreateAPIView):
    """Post a comment on a content item. Public, and limited per client IP (429 beyond the rate)."""

    serializer_class = serializers.CommentCreateSerializer
    permission_classes = [AllowAny]
    throttle_classes = [CommentRateThrottle]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = serializers.comment_data(*services.comment_create(**serializer.validated_data))
        message = f"comment created and associated with content_id {comment['content_id']}"
        body = {"status": "SUCCESS", "message": message, "comment": comment}
        location = request.build_absolute_uri(reverse("comment-detail", args=[comment["id"]]))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(
    get=extend_schema(
        operation_id="comment_list",
        tags=["comments"],
        parameters=[
            OpenApiParameter("content_id", serializers.POSITIVE_INT64, OpenApiParameter.PATH),
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
)
class CommentListView(generics.ListAPIView):
    """The comments of one content item, oldest first, as a JSON array; long lists are paged."""

    serializer_class = serializers.CommentSerializer
    permission_classes = [AllowAny]
    pagination_class = CommentListPagination
    filter_backends = []  # the order is the contract: oldest first
    queryset = Comment.objects.all()  # for the browsable API; pages come from selectors

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if error := serializers.content_id_error(self.kwargs["content_id"]):
            raise ValidationError({"content_id": [error]})
        assert isinstance(self.paginator, CommentListPagination)
        rows = self.paginator.paginate_comments(int(self.kwargs["content_id"]), request)
        return self.get_paginated_response([serializers.comment_data(*row) for row in rows])


@extend_schema(
    tags=["comments"], parameters=[OpenApiParameter("id", serializers.POSITIVE_INT64, OpenApiParameter.PATH)]
)
@extend_schema_view(
    get=extend_schema(operation_id="comment_retrieve"),
    delete=extend_schema(
        operation_id="comment_destroy", responses={200: serializers.CommentDeletedSerializer}
    ),
)
class CommentDetailView(generics.RetrieveDestroyAPIView):
    """One comment; staff remove it (moderation) with DELETE."""

    serializer_class = serializers.CommentSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [IsAdminUser()] if self.request.method == "DELETE" else [AllowAny()]

    def get_comment_id(self) -> int:
        comment_id = positive_int(self.kwargs["id"])  # the URL pattern admits digits only
        if comment_id is None:
            raise services.CommentNotFound(self.kwargs["id"])
        return comment_id

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = selectors.comment_get(comment_id=self.get_comment_id())
        if row is None:
            raise services.CommentNotFound(self.kwargs["id"])
        return Response(serializers.comment_data(*row))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.comment_delete(comment_id=self.get_comment_id())
        return Response({"status": "SUCCESS", "message": f"comment {self.kwargs['id']} deleted"})
