"""Rollbar use cases shared by the REST API and the `rollbar` management command."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.db import transaction

from rollbar_items.client import NotFound, RollbarClient, RollbarError
from rollbar_items.models import Report

ITEMS_PER_PAGE = 100  # Rollbar's fixed page size for GET /items/
ITEM_STATUSES = ("active", "resolved", "muted", "archived")
UPDATE_STATUSES = ("active", "resolved", "muted")
LEVELS = ("debug", "info", "warning", "error", "critical")
UPDATE_FIELDS = ("status", "level", "title", "resolved_in_version", "assigned_user_id")
NOTIFIER = {"name": "rollbar_items", "version": "1.0"}


class ItemDeleteRefused(RollbarError):
    """Rollbar's API has no way to delete an item; the answer says what to do instead."""

    def __init__(self, item_id: int):
        super().__init__(
            f"Rollbar's API cannot delete items. To close item {item_id}, resolve or mute it instead: "
            f'PATCH /items/{item_id} with {{"status": "resolved"}} or {{"status": "muted"}} '
            f"(CLI: manage.py rollbar items update {item_id} --status resolved)."
        )
        self.item_id = item_id


def rollbar_client() -> RollbarClient:
    """A client configured from the settings as they are now (tests and operators may change them)."""
    return RollbarClient(
        settings.ROLLBAR_API_URL,
        read_token=settings.ROLLBAR_READ_TOKEN,
        write_token=settings.ROLLBAR_WRITE_TOKEN,
        post_token=settings.ROLLBAR_POST_TOKEN,
        timeout=settings.ROLLBAR_TIMEOUT,
    )


def _no_such_endpoint(error: NotFound) -> NotFound:
    # A list or a report cannot be "not found" on Rollbar: the base URL must be wrong.
    return NotFound(f"Rollbar answered 404 ({error.message}); check ROLLBAR_API_URL.", 404)


def item_list(*, status=(), level=(), environment=(), page: int = 1) -> dict:
    """One of Rollbar's pages of items: `items`, `page`, `total_count` (None when Rollbar omits it),
    and `next_page` / `previous_page` (None at either end)."""
    try:
        result = rollbar_client().list_items(status=status, level=level, environment=environment, page=page)
    except NotFound as error:
        raise _no_such_endpoint(error) from None
    items = result.get("items") or []
    total = result.get("total_count")
    has_next = page * ITEMS_PER_PAGE < total if total is not None else len(items) == ITEMS_PER_PAGE
    return {
        "items": items,
        "page": page,
        "total_count": total,
        "next_page": page + 1 if has_next else None,
        "previous_page": page - 1 if page > 1 else None,
    }


def item_get(*, item_id: int) -> dict:
    try:
        return rollbar_client().get_item(item_id)
    except NotFound:
        raise NotFound(f"item {item_id} not found in the Rollbar project.", 404) from None


def item_create(
    *,
    message: str,
    environment: str = "production",
    level: str | None = None,
    title: str | None = None,
    fingerprint: str | None = None,
    code_version: str | None = None,
    custom: dict | None = None,
) -> dict:
    """Send one occurrence; Rollbar groups it into an item later. Returns `{"uuid": ...}`.

    Without a level, Rollbar gives a message occurrence the level `info`.
    """
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
    optional = {"level": level, "title": title, "fingerprint": fingerprint, "code_version": code_version}
    data.update({key: value for key, value in optional.items() if value is not None})
    if custom:
        data["custom"] = custom
    result = rollbar_client().create_occurrence({"data": data}) or {}
    return {"uuid": result.get("uuid") or data["uuid"]}


def item_update(*, item_id: int, fields: dict) -> dict:
    """PATCH the item with only the fields Rollbar accepts; Rollbar echoes back what it changed.

    With no field to change, Rollbar is not asked to change anything.
    """
    body = {key: value for key, value in fields.items() if key in UPDATE_FIELDS}
    if not body:
        item_get(item_id=item_id)  # nothing to change; an unknown item is still a 404
        return {}
    try:
        return rollbar_client().update_item(item_id, body)
    except NotFound:
        raise NotFound(f"item {item_id} not found in the Rollbar project.", 404) from None


def item_delete(*, item_id: int):
    """Always refused: Rollbar can only resolve or mute an item (see ItemDeleteRefused)."""
    raise ItemDeleteRefused(item_id)


def report_fetch(*, hours: int = 24, environments=()) -> Report:
    """Fetch Rollbar's top-active-items report now and store it."""
    params = {"hours": hours, "environments": list(environments)}
    try:
        content = rollbar_client().top_active_items(hours=hours, environments=environments)
    except NotFound as error:
        raise _no_such_endpoint(error) from None
    return Report.objects.create(kind=Report.Kind.TOP_ACTIVE_ITEMS, params=params, content=content or [])


def report_list(*, hours: int = 24, environments=()):
    """The stored reports, newest first; when none is stored, one is fetched from Rollbar first."""
    reports = Report.objects.order_by("-fetched_at", "-id")
    if not reports.exists():
        report_fetch(hours=hours, environments=environments)
    return reports.all()


@transaction.atomic
def report_clear() -> int:
    deleted, _ = Report.objects.all().delete()
    return deleted
