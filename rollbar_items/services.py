"""Rollbar use cases of the REST API and the `rollbar` command; every call goes through `rollbar_call`."""

from __future__ import annotations

import contextlib
import math
import random
import time
import uuid
from collections.abc import Iterable
from typing import Any, NoReturn

import pybreaker
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from core.errors import InvalidInput, NotFound, ServiceError, Unavailable, UpstreamFailed, UpstreamTimeout
from rollbar_items import client
from rollbar_items.models import Report

ITEMS_PER_PAGE = 100  # Rollbar's fixed page size for GET /items/
ITEM_STATUSES = ("active", "resolved", "muted", "archived")
UPDATE_STATUSES = ("active", "resolved", "muted")
LEVELS = ("debug", "info", "warning", "error", "critical")
NOTIFIER = {"name": "rollbar_items", "version": "1.0"}
ITEM_MISSING = "item {} not found in the Rollbar project."


class ItemDeleteRefused(ServiceError):
    status_code = 405


# After BREAKER_FAILURES timeouts or failures in a row, calls answer 503 at once for a cool-down
# drawn per process (docs/design.md, "Outside services"); Rollbar's answers (404, a refused token,
# 429) do not count. The call that trips it keeps its own answer (504 or 502).
BREAKER_FAILURES = 3
rollbar_breaker = pybreaker.CircuitBreaker(
    fail_max=BREAKER_FAILURES,
    reset_timeout=30 * random.uniform(1, 1.5),
    exclude=[lambda error: not isinstance(error, (client.Timeout, client.Unavailable))],
    throw_new_error_on_trip=False,
    name="rollbar",
)


def rollbar_client() -> client.RollbarClient:
    """A client on the settings of the moment, made inside the breaker: an open one makes none."""
    return client.RollbarClient(
        settings.ROLLBAR_API_URL,
        read_token=settings.ROLLBAR_READ_TOKEN,
        write_token=settings.ROLLBAR_WRITE_TOKEN,
        post_token=settings.ROLLBAR_POST_TOKEN,
        timeout=settings.ROLLBAR_TIMEOUT,
    )


def rollbar_call(operation: str, *args: Any, not_found: str | None = None, **kwargs: Any) -> Any:
    """The client's `operation` through the breaker, its errors as ours. `not_found` is the message
    of Rollbar's 404; without one, a 404 means the base URL is wrong."""
    try:
        return rollbar_breaker.call(lambda: getattr(rollbar_client(), operation)(*args, **kwargs))
    except pybreaker.CircuitBreakerError:
        wait = math.ceil(rollbar_breaker.reset_timeout)
        message = f"Rollbar failed {BREAKER_FAILURES} times in a row; calls resume within {wait} seconds."
        raise Unavailable(message, retry_after=wait) from None
    except client.NotFound as error:
        message = not_found or f"Rollbar answered 404 ({error.message}); check ROLLBAR_API_URL."
        raise NotFound(message) from None
    except client.Invalid as error:
        raise InvalidInput(f"Rollbar rejected the request: {error.message}") from None
    except (client.NotConfigured, client.RateLimited) as error:
        raise Unavailable(error.message, retry_after=error.retry_after or None) from None
    except client.Timeout as error:
        raise UpstreamTimeout(error.message) from None
    except client.RollbarError as error:  # a refused token, Rollbar down or answering nonsense
        raise UpstreamFailed(error.message) from None


def item_list(
    *, status: Iterable[str] = (), level: Iterable[str] = (), environment: Iterable[str] = (), page: int = 1
) -> dict:
    """Rollbar's page: `count` (None if omitted), `items`, `page`, `next_page`, `previous_page` (or None)."""
    result = rollbar_call("list_items", status=status, level=level, environment=environment, page=page)
    items = result.get("items") or []
    total = result.get("total_count")
    has_next = page * ITEMS_PER_PAGE < total if total is not None else len(items) == ITEMS_PER_PAGE
    return {
        "count": total,
        "items": items,
        "page": page,
        "next_page": page + 1 if has_next else None,
        "previous_page": page - 1 if page > 1 else None,
    }


def item_get(*, item_id: int) -> dict:
    return rollbar_call("get_item", item_id, not_found=ITEM_MISSING.format(item_id))


def item_create(*, message: str, environment: str = "production", **optional: Any) -> dict:
    """Send one occurrence with ItemCreateSerializer's other fields (level, title, fingerprint,
    code_version, custom); Rollbar makes the item later. Its default level for a message is info."""
    data = {
        "environment": environment,
        "body": {"message": {"body": message}},
        "uuid": str(uuid.uuid4()),  # ours, so that a retried send is discarded as a duplicate
        "timestamp": int(time.time()),
        "platform": "linux",
        "language": "python",
        "framework": "django",
        "notifier": NOTIFIER,
    }
    data.update({key: value for key, value in optional.items() if value})
    result = rollbar_call("create_occurrence", {"data": data}) or {}
    return {"uuid": result.get("uuid") or data["uuid"]}


def item_update(*, item_id: int, fields: dict) -> dict:
    """PATCH the item with `fields` (ItemUpdateSerializer's); Rollbar echoes back what it changed."""
    if not fields:
        item_get(item_id=item_id)  # nothing to change; an unknown item is still a 404
        return {}
    return rollbar_call("update_item", item_id, fields, not_found=ITEM_MISSING.format(item_id))


def item_delete(*, item_id: int) -> NoReturn:
    """Always refused: Rollbar's API has no way to delete an item; the answer says what to do instead."""
    raise ItemDeleteRefused(
        f"Rollbar's API cannot delete items. To close item {item_id}, resolve or mute it instead: "
        f'PATCH /items/{item_id} with {{"status": "resolved"}} or {{"status": "muted"}} '
        f"(CLI: manage.py rollbar items update {item_id} --status resolved)."
    )


def report_fetch(*, hours: int = 24, environments: Iterable[str] = (), on_read: bool = False) -> Report:
    """Fetch Rollbar's top-active-items report now and store it (`on_read`: for a read that found none)."""
    content = rollbar_call("top_active_items", hours=hours, environments=environments)
    params = {"hours": hours, "environments": list(environments)}
    with transaction.atomic():  # the constraint of `on_read` may refuse it
        return Report.objects.create(params=params, content=content or [], on_read=on_read or None)


def report_list(*, hours: int = 24, environments: Iterable[str] = ()) -> QuerySet[Report]:
    """The stored reports, newest first; when none is stored, one is fetched from Rollbar first."""
    reports = Report.objects.all()  # newest first (Meta.ordering)
    if not reports.exists():
        # Reads finding none at once all fetch; the unique `on_read` keeps the first one stored.
        with contextlib.suppress(IntegrityError):
            report_fetch(hours=hours, environments=environments, on_read=True)
    return reports


def report_clear() -> int:
    """Delete every stored report: one statement, so concurrent clears count each report once."""
    deleted, _ = Report.objects.all().delete()
    return deleted
