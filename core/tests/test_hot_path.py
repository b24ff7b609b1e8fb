"""The platform's per-request shortcuts answer exactly as the components they replace."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib import messages
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import empty

from core.cache import RedisCache
from core.messages import LazyMessageMiddleware
from core.sql import CompiledQuery

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.mark.parametrize(
    ("accept", "status", "content_type"),
    [
        (None, 200, "application/json"),
        ("*/*", 200, "application/json"),
        ("application/json", 200, "application/json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", 200, "text/html"),
        ("application/xml", 406, "application/json"),
    ],
)
def test_content_negotiation_answers_alike_every_time(api_client, accept, status, content_type):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    for _ in range(3):  # the first answer is computed, the next ones remembered
        response = api_client.get("/", **headers)
        assert response.status_code == status
        assert response["Content-Type"].startswith(content_type)


def test_format_override_still_wins_over_a_remembered_header(api_client):
    assert api_client.get("/").headers["Content-Type"].startswith("application/json")
    assert api_client.get("/?format=api").headers["Content-Type"].startswith("text/html")


def test_redis_cache_reuses_one_client_and_behaves_like_djangos():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "hot-path-test"})
    reference = DjangoRedisCache(REDIS_URL, {"KEY_PREFIX": "hot-path-test"})
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.set("answer", {"value": 42}, 30)
    assert reference.get("answer") == {"value": 42}
    assert cache.add("counter", 1, 30) is True
    assert cache.incr("counter") == 2
    assert cache.incr("counter", 5) == 7
    assert reference.incr("counter") == 8
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing-counter")
    cache.delete_many(["answer", "counter"])
    assert cache.get("answer") is None


def test_redis_incr_or_add_counts_atomically_with_an_expiry():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "hot-path-test"})
    reference = DjangoRedisCache(REDIS_URL, {"KEY_PREFIX": "hot-path-test"})
    cache.delete("window")
    assert cache.incr_or_add("window", 61) == 1
    assert cache.incr_or_add("window", 61) == 2
    assert reference.get("window") == 2  # the same key and value encoding as Django's backend
    client = cache._cache.get_client()
    assert 59 <= client.ttl(cache.make_key("window")) <= 61  # set once, when the counter was created
    with ThreadPoolExecutor(8) as pool:  # no increment lost between threads
        list(pool.map(lambda _: cache.incr_or_add("window", 61), range(400)))
    assert cache.get("window") == 402
    cache.delete("window")


def _through_middleware(view):
    request = RequestFactory().get("/")
    request.session = {}
    middleware = LazyMessageMiddleware(view)
    return request, middleware(request)


def test_unused_messages_cost_nothing_and_set_no_cookie():
    request, response = _through_middleware(lambda request: HttpResponse("ok"))
    assert request._messages._wrapped is empty  # the storage was never built
    assert "messages" not in response.cookies


def test_messages_still_reach_the_next_page():
    def view(request):
        messages.success(request, "Saved.")
        return HttpResponse("ok")

    _, response = _through_middleware(view)
    request = RequestFactory().get("/")
    request.COOKIES["messages"] = response.cookies["messages"].value
    request.session = {}
    LazyMessageMiddleware(lambda r: HttpResponse("ok")).process_request(request)
    assert [str(m) for m in messages.get_messages(request)] == ["Saved."]


def test_compiled_query_returns_what_the_orm_returns():
    from comments.models import Comment
    from comments.tests.factories import CommentFactory

    for _ in range(5):
        CommentFactory(content_id=7)
    CommentFactory(content_id=8)
    fields = ("id", "email", "comment", "content_id", "created_at")
    query = CompiledQuery(
        lambda content_id: Comment.objects.filter(content_id=content_id).order_by("id").values_list(*fields),
        arity=1,
    )
    orm = list(Comment.objects.filter(content_id=7).order_by("id").values_list(*fields))
    for _ in range(2):  # compiled on the first call, reused on the second
        assert query.rows(7) == orm
        assert query.rows(7, limit=2, offset=1) == orm[1:3]  # datetimes converted as the ORM does
    assert query.rows(9) == []


def test_compiled_query_refuses_an_argument_that_is_not_a_parameter():
    from comments.models import Comment

    query = CompiledQuery(lambda content_id: Comment.objects.order_by("id").values_list("id"), arity=1)
    with pytest.raises(ImproperlyConfigured, match="one SQL parameter"):
        query.rows(1)


def test_compiled_insert_stores_what_the_orm_stores():
    from django.db.models.signals import post_save, pre_save
    from django.utils import timezone

    from comments.models import Comment
    from comments.serializers import COMMENT_INSERT

    assert not pre_save.has_listeners(Comment) and not post_save.has_listeners(Comment)  # none skipped
    values = {"email": "a@example.com", "comment": "  as sent\n", "content_id": 2**63 - 1}
    before = timezone.now()
    orm = Comment.objects.create(**values)
    for _ in range(2):  # compiled on the first call, reused on the second
        ours = COMMENT_INSERT.create(**values)
        assert ours.pk is not None and ours.pk > orm.pk
        assert not ours._state.adding
        stored = Comment.objects.get(pk=ours.pk)
        assert {f: getattr(stored, f) for f in values} == {f: getattr(orm, f) for f in values} == values
        assert before <= stored.created_at <= timezone.now()  # auto_now_add applied
        assert stored.created_at == ours.created_at
