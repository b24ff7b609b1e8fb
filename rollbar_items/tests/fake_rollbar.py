"""A fake Rollbar REST API, as Rollbar documents it, on a real HTTP server: for tests and for local use.

Run it on its own so the app can be tried without a Rollbar account:

    python -m rollbar_items.tests.fake_rollbar --port 8010

then point the app at it with ROLLBAR_API_URL=http://127.0.0.1:8010/api/1 and the demo tokens it prints.
In tests, `FakeRollbar().start()` picks a free port; `server.state` is the live state (items,
occurrences, the request log) and the hooks under `/_fake/` change it over HTTP.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import re
import sys
import threading
import time
import uuid as uuid_module
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# Fixed demo tokens, one per scope plus one holding every scope, as a new Rollbar project gets.
READ_TOKEN = "demo-read-token-0000000000000001"
WRITE_TOKEN = "demo-write-token-000000000000002"
POST_TOKEN = "demo-post-server-token-000000003"
CLIENT_TOKEN = "demo-post-client-token-000000004"
ALL_TOKEN = "demo-all-scopes-token-0000000005"
DEMO_TOKENS = {
    READ_TOKEN: {"read"},
    WRITE_TOKEN: {"write"},
    POST_TOKEN: {"post_server_item"},
    CLIENT_TOKEN: {"post_client_item"},
    ALL_TOKEN: {"read", "write", "post_server_item"},
}

PROJECT_ID = 1
ITEMS_PER_PAGE = 100
INSTANCES_PER_PAGE = 20
LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}
ITEM_STATUSES = ("active", "resolved", "muted", "archived")
PATCH_STATUSES = ("active", "resolved", "muted")
CLIENT_PLATFORMS = {"browser", "android", "ios", "flash", "client"}
BODY_KINDS = ("message", "trace", "trace_chain", "crash_report")
DEFAULT_RATE_LIMIT = 5000
DEFAULT_RATE_WINDOW = 60
DEFAULT_MAX_BODY = 128 * 1024  # the overview page's limit; the create-item page says 1 MB


class ApiError(Exception):
    """An error answer of the fake API: status and Rollbar's `message`."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _invalid(path: str) -> ApiError:
    return ApiError(422, f"Invalid format. {path} is a required property.")


@dataclass
class Forced:
    """An answer forced on the next API requests by the `/_fake/force` hook."""

    status: int
    message: str
    times: int = 1
    delay: float = 0.0
    headers: dict = field(default_factory=dict)
    raw: str | None = None  # a body that is not Rollbar's JSON (a proxy's page), sent as text


class FakeRollbarState:
    """Everything the fake knows; every method takes the lock, as the server answers in threads."""

    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            # Requests still sleeping in a delay from before a reset must not touch the new state.
            self.generation = getattr(self, "generation", 0) + 1
            self.tokens: dict[str, set[str]] = {token: set(scopes) for token, scopes in DEMO_TOKENS.items()}
            self.items: dict[int, dict] = {}
            self.occurrences: list[dict] = []  # processed occurrences, in arrival order
            self.pending: list[tuple[float, dict]] = []  # (due time, occurrence) while "processing"
            self.uuids: set[str] = set()
            self.requests: list[dict] = []  # every API request: method, path, query, token
            self.rate_limit = DEFAULT_RATE_LIMIT
            self.rate_window = DEFAULT_RATE_WINDOW
            self.rate_usage: dict[str, list] = {}  # token -> [window start, count]
            self.processing_delay = 0.0
            self.response_delay = 0.0
            self.max_body = DEFAULT_MAX_BODY
            self.forced: list[Forced] = []
            self._next_item_id = 1000
            self._next_counter = 1
            self._next_occurrence_id = 500000

    # --- configuration and seeding (the /_fake/ hooks call these) --------------------------------

    def configure(self, **options):
        with self.lock:
            for name in ("rate_limit", "rate_window", "processing_delay", "response_delay", "max_body"):
                if name in options:
                    setattr(self, name, options[name])
            if "rate_limit" in options or "rate_window" in options:
                self.rate_usage.clear()

    def set_tokens(self, tokens: dict, replace: bool = False):
        with self.lock:
            if replace:
                self.tokens.clear()
            for token, scopes in tokens.items():
                if scopes is None:
                    self.tokens.pop(token, None)
                else:
                    self.tokens[token] = set(scopes)

    def force(
        self, status: int, message: str = "forced", times: int = 1, delay: float = 0.0, headers=None, raw=None
    ):
        with self.lock:
            self.forced.append(Forced(status, message, times, delay, dict(headers or {}), raw))

    def seed_items(self, specs: list[dict] | None = None, count: int = 0, **defaults) -> list[dict]:
        """Add items directly, each with `occurrences` occurrences (default 1) at its last timestamp.

        `count` adds that many generated items; `specs` gives fields per item. Items seeded later are
        more recent, so they come first in the list, as on Rollbar.
        """
        specs = list(specs or []) + [{} for _ in range(count)]
        created = []
        with self.lock:
            now = int(time.time())
            for spec in specs:
                spec = {**defaults, **spec}
                occurrences = int(spec.pop("occurrences", 1))
                timestamp = int(spec.pop("last_occurrence_timestamp", now - 3600 + len(self.items) % 3600))
                counter = self._next_counter
                title = spec.pop("title", f"Seeded item {counter}")
                item = self._new_item(
                    title=title,
                    level=spec.pop("level", "error"),
                    environment=spec.pop("environment", "production"),
                    key=hashlib.sha1(f"seed-{counter}-{title}".encode()).hexdigest(),
                    timestamp=timestamp,
                    platform=spec.pop("platform", "linux"),
                    framework=spec.pop("framework", "django"),
                )
                item.update(spec)
                for _ in range(occurrences):
                    data = {
                        "environment": item["environment"],
                        "level": item["level"],
                        "title": item["title"],
                        "timestamp": timestamp,
                        "uuid": str(uuid_module.uuid4()),
                        "body": {"message": {"body": item["title"]}},
                    }
                    self._attach(item, self._new_occurrence(data, timestamp))
                created.append(copy.deepcopy(item))
        return created

    # --- state helpers ------------------------------------------------------------------------------

    def _new_item(self, *, title, level, environment, key, timestamp, platform, framework) -> dict:
        item_id = self._next_item_id
        self._next_item_id += 1
        counter = self._next_counter
        self._next_counter += 1
        item = {
            "id": item_id,
            "counter": counter,
            "project_id": PROJECT_ID,
            "environment": environment,
            "platform": platform or "unknown",
            "framework": framework or "unknown",
            "hash": key,
            "title": title,
            "status": "active",
            "level": level,
            "total_occurrences": 0,
            "unique_occurrences": None,
            "first_occurrence_id": None,
            "first_occurrence_timestamp": timestamp,
            "last_occurrence_id": None,
            "last_occurrence_timestamp": timestamp,
            "activating_occurrence_id": None,
            "last_activated_timestamp": timestamp,
            "last_resolved_timestamp": None,
            "last_muted_timestamp": None,
            "resolved_in_version": None,
            "assigned_user_id": None,
            "assigned_team_id": None,
            "last_modified_by": 1,
            "group_status": 1,
            "group_item_id": None,
            "level_lock": 0,
            "title_lock": 0,
            "controlling_id": item_id,
            "public_item_id": None,
            "integrations_data": None,
        }
        self.items[item_id] = item
        return item

    def _new_occurrence(self, data: dict, timestamp: int) -> dict:
        occurrence_id = self._next_occurrence_id
        self._next_occurrence_id += 1
        return {
            "id": occurrence_id,
            "project_id": PROJECT_ID,
            "timestamp": timestamp,
            "version": 2,
            "data": data,
            "billable": 1,
            "item_id": None,
        }

    def _attach(self, item: dict, occurrence: dict):
        occurrence["item_id"] = item["id"]
        item["total_occurrences"] += 1
        if item["first_occurrence_id"] is None:
            item["first_occurrence_id"] = occurrence["id"]
            item["activating_occurrence_id"] = occurrence["id"]
            item["first_occurrence_timestamp"] = occurrence["timestamp"]
        item["last_occurrence_id"] = occurrence["id"]
        item["last_occurrence_timestamp"] = max(item["last_occurrence_timestamp"], occurrence["timestamp"])
        self.occurrences.append(occurrence)

    def process_due(self):
        """Group the occurrences whose processing delay is over into items (Rollbar does it async)."""
        with self.lock:
            now = time.monotonic()
            due = [entry for entry in self.pending if entry[0] <= now]
            self.pending = [entry for entry in self.pending if entry[0] > now]
            for _, occurrence in due:
                self._group(occurrence)

    def _group(self, occurrence: dict):
        data = occurrence["data"]
        body = data["body"]
        if "message" in body:
            kind_title = str(body["message"].get("body", ""))
            default_level = "info"
        elif "trace" in body:
            exception = body["trace"]["exception"]
            kind_title = f"{exception.get('class', 'Exception')}: {exception.get('message', '')}"
            default_level = "error"
        elif "trace_chain" in body:
            exception = (body["trace_chain"] or [{}])[0].get("exception", {})
            kind_title = f"{exception.get('class', 'Exception')}: {exception.get('message', '')}"
            default_level = "error"
        else:
            kind_title = str(body["crash_report"].get("raw", ""))[:80] or "Crash report"
            default_level = "error"
        first_line = kind_title.splitlines()[0] if kind_title else ""
        title = (data.get("title") or first_line or "(no title)")[:255]
        grouping = data.get("fingerprint") or data.get("title") or kind_title
        key = hashlib.sha1(f"{data['environment']}\0{grouping}".encode()).hexdigest()
        item = next(
            (i for i in self.items.values() if i["hash"] == key and i["environment"] == data["environment"]),
            None,
        )
        if item is None:
            item = self._new_item(
                title=title,
                level=data.get("level") or default_level,
                environment=data["environment"],
                key=key,
                timestamp=occurrence["timestamp"],
                platform=data.get("platform"),
                framework=data.get("framework"),
            )
        elif item["status"] == "resolved":
            # A new occurrence reactivates a resolved item.
            item["status"] = "active"
            item["last_activated_timestamp"] = occurrence["timestamp"]
            item["activating_occurrence_id"] = occurrence["id"]
        self._attach(item, occurrence)

    def take_rate(self, token: str) -> dict:
        """Count one request of `token`; return the four X-Rate-Limit-* headers (Remaining 0: over)."""
        with self.lock:
            now = time.time()
            usage = self.rate_usage.get(token)
            if usage is None or now >= usage[0] + self.rate_window:
                usage = self.rate_usage[token] = [now, 0]
            usage[1] += 1
            reset = usage[0] + self.rate_window
            return {
                "X-Rate-Limit-Limit": str(self.rate_limit),
                "X-Rate-Limit-Remaining": str(max(0, self.rate_limit - usage[1])),
                "X-Rate-Limit-Remaining-Seconds": str(max(0, math.ceil(reset - now))),
                "X-Rate-Limit-Reset": str(math.ceil(reset)),
                "_over": usage[1] > self.rate_limit,
            }

    def idle_rate_headers(self) -> dict:
        """The headers for an answer that counts against no token (no token, unknown token, no route)."""
        with self.lock:
            now = time.time()
            return {
                "X-Rate-Limit-Limit": str(self.rate_limit),
                "X-Rate-Limit-Remaining": str(self.rate_limit),
                "X-Rate-Limit-Remaining-Seconds": str(self.rate_window),
                "X-Rate-Limit-Reset": str(math.ceil(now + self.rate_window)),
            }

    def requests_to(self, path_prefix: str, method: str | None = None) -> list[dict]:
        with self.lock:
            return [
                r
                for r in self.requests
                if r["path"].startswith(path_prefix) and (method is None or r["method"] == method)
            ]


# --- the API, one function per Rollbar operation -------------------------------------------------


def _int(value: str, name: str, minimum: int = 1) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Invalid {name}: must be an integer.") from None
    if number < minimum:
        raise ApiError(400, f"Invalid {name}: must be at least {minimum}.")
    return number


def _multi(query: dict, name: str) -> list[str]:
    """A repeatable query parameter; `ids` is also a comma-separated list."""
    values = []
    for value in query.get(name, []):
        if name == "ids":
            values.extend(v for v in value.split(",") if v)
        else:
            values.append(value)
    return values


def list_items(state: FakeRollbarState, query: dict, **_):
    statuses, levels = _multi(query, "status"), _multi(query, "level")
    environments, ids = _multi(query, "environment"), _multi(query, "ids")
    for value in statuses:
        if value not in ITEM_STATUSES:
            raise ApiError(422, f"Invalid format. status must be one of {', '.join(ITEM_STATUSES)}.")
    for value in levels:
        if value not in LEVELS:
            raise ApiError(422, f"Invalid format. level must be one of {', '.join(LEVELS)}.")
    id_set = {_int(value, "ids") for value in ids}
    page = _int(query.get("page", ["1"])[-1], "page")
    with state.lock:
        matching = [
            item
            for item in state.items.values()
            if (not statuses or item["status"] in statuses)
            and (not levels or item["level"] in levels)
            and (not environments or item["environment"] in environments)
            and (not id_set or item["id"] in id_set)
        ]
        matching.sort(key=lambda item: (item["last_occurrence_timestamp"], item["id"]), reverse=True)
        start = (page - 1) * ITEMS_PER_PAGE
        items = copy.deepcopy(matching[start : start + ITEMS_PER_PAGE])
    return 200, {"items": items, "page": page, "total_count": len(matching)}


def _item_or_404(state: FakeRollbarState, item_id: int) -> dict:
    item = state.items.get(item_id)
    if item is None:
        raise ApiError(404, "Item not found in this project.")
    return item


def get_item(state: FakeRollbarState, item_id: str, **_):
    with state.lock:
        return 200, copy.deepcopy(_item_or_404(state, int(item_id)))


UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def find_item(state: FakeRollbarState, query: dict, **_):
    """`GET /item/?uuid=` (and the `?counter=` form the official MCP server uses)."""
    with state.lock:
        if "uuid" in query:
            value = query["uuid"][-1]
            if not UUID_RE.match(value):
                raise ApiError(400, "Invalid UUID format")
            for occurrence in state.occurrences:
                if occurrence["data"].get("uuid") == value:
                    return 200, copy.deepcopy(state.items[occurrence["item_id"]])
            raise ApiError(404, "UUID did not match any occurrence")
        if "counter" in query:
            counter = _int(query["counter"][-1], "counter")
            for item in state.items.values():
                if item["counter"] == counter:
                    return 200, copy.deepcopy(item)
            raise ApiError(404, "Item not found in this project.")
    raise ApiError(400, "Invalid or missing uuid or counter.")


def item_by_counter(state: FakeRollbarState, counter: str, prefix: str, **_):
    with state.lock:
        for item in state.items.values():
            if item["counter"] == int(counter):
                path = f"{prefix}/item/{item['id']}"
                result = {"itemId": item["id"], "path": path, "uri": path}
                return 301, result, {"Location": path}
    raise ApiError(404, "Item not found in this project.")


def _validate_occurrence(payload) -> dict:
    if not isinstance(payload, dict):
        raise ApiError(400, "Invalid JSON: the body must be an object.")
    data = payload.get("data")
    if not isinstance(data, dict):
        raise _invalid("data")
    environment = data.get("environment")
    if not isinstance(environment, str) or not environment:
        raise _invalid("data.environment")
    if len(environment) > 255:
        raise ApiError(422, "Invalid format. data.environment is too long (maximum 255 characters).")
    body = data.get("body")
    if not isinstance(body, dict):
        raise _invalid("data.body")
    kinds = [kind for kind in BODY_KINDS if kind in body]
    if len(kinds) != 1:
        kinds_text = ", ".join(BODY_KINDS)
        raise ApiError(422, f"Invalid format. data.body must have exactly one of {kinds_text}.")
    kind = kinds[0]
    if kind == "message" and (not isinstance(body["message"], dict) or "body" not in body["message"]):
        raise _invalid("data.body.message.body")
    if kind == "trace":
        trace = body["trace"]
        if not isinstance(trace, dict) or not isinstance(trace.get("exception"), dict):
            raise ApiError(422, "Invalid format. data.body.trace.exception is missing and it is required.")
        if not isinstance(trace.get("frames"), list):
            raise ApiError(422, "Invalid format. data.body.trace.frames is missing and it is required.")
    if kind == "trace_chain" and not isinstance(body["trace_chain"], list):
        raise ApiError(422, "Invalid format. data.body.trace_chain must be an array.")
    if kind == "crash_report" and not isinstance(body["crash_report"], dict):
        raise _invalid("data.body.crash_report.raw")
    level = data.get("level")
    if level is not None and level not in LEVELS:
        raise ApiError(422, f"Invalid format. data.level must be one of {', '.join(LEVELS)}.")
    for name, limit in (("title", 255), ("uuid", 36), ("code_version", 40)):
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            message = f"Invalid format. data.{name} must be a string of at most {limit} characters."
            raise ApiError(422, message)
    return data


def create_occurrence(state: FakeRollbarState, payload, **_):
    data = _validate_occurrence(payload)
    data = copy.deepcopy(data)
    data.setdefault("uuid", str(uuid_module.uuid4()))
    with state.lock:
        if data["uuid"] in state.uuids:
            return 200, {"id": None, "uuid": data["uuid"]}  # a duplicate: accepted, not counted
        state.uuids.add(data["uuid"])
        timestamp = int(data.get("timestamp") or time.time())
        occurrence = state._new_occurrence(data, timestamp)
        if state.processing_delay > 0:
            state.pending.append((time.monotonic() + state.processing_delay, occurrence))
        else:
            state._group(occurrence)
    return 200, {"id": None, "uuid": data["uuid"]}


PATCH_FIELDS = (
    "status",
    "resolved_in_version",
    "title",
    "level",
    "assigned_user_id",
    "assigned_team_id",
    "snooze_enabled",
    "snooze_expiration_in_seconds",
)


def _validate_patch(body) -> dict:
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid JSON: the body must be an object.")
    unknown = sorted(set(body) - set(PATCH_FIELDS))
    if unknown:
        raise ApiError(422, f"Invalid format. Unknown field: {unknown[0]}.")
    if not body:
        raise ApiError(422, "Invalid format. Send at least one field to update.")
    if "status" in body and body["status"] not in PATCH_STATUSES:
        raise ApiError(422, "Invalid format. status must be one of active, resolved, muted.")
    if "level" in body and body["level"] not in LEVELS:
        raise ApiError(422, f"Invalid format. level must be one of {', '.join(LEVELS)}.")
    if "title" in body and (not isinstance(body["title"], str) or not 1 <= len(body["title"]) <= 255):
        raise ApiError(422, "Invalid format. title must be a string of 1 to 255 characters.")
    version = body.get("resolved_in_version")
    if version is not None and (not isinstance(version, str) or len(version) > 40):
        raise ApiError(422, "Invalid format. resolved_in_version must be a string of at most 40 characters.")
    for name in ("assigned_user_id", "assigned_team_id"):
        value = body.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ApiError(422, f"Invalid format. {name} must be an integer or null.")
    if "snooze_enabled" in body and not isinstance(body["snooze_enabled"], bool):
        raise ApiError(422, "Invalid format. snooze_enabled must be a boolean.")
    seconds = body.get("snooze_expiration_in_seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int)):
        raise ApiError(422, "Invalid format. snooze_expiration_in_seconds must be an integer.")
    return body


def update_item(state: FakeRollbarState, item_id: str, payload, **_):
    with state.lock:
        item = _item_or_404(state, int(item_id))
        body = _validate_patch(payload)
        now = int(time.time())
        item.update(body)
        status = body.get("status")
        if status == "resolved":
            item["last_resolved_timestamp"] = now
        elif status == "muted":
            item["last_muted_timestamp"] = now
        elif status == "active":
            item["last_activated_timestamp"] = now
        if "title" in body:
            item["title_lock"] = 1
        if "level" in body:
            item["level_lock"] = 1
    return 200, dict(body)  # Rollbar echoes only the fields that were sent


def list_instances(state: FakeRollbarState, item_id: str, query: dict, **_):
    page = _int(query.get("page", ["1"])[-1], "page")
    with state.lock:
        _item_or_404(state, int(item_id))
        instances = [o for o in state.occurrences if o["item_id"] == int(item_id)]
        instances.sort(key=lambda o: (o["timestamp"], o["id"]), reverse=True)
        start = (page - 1) * INSTANCES_PER_PAGE
        return 200, {"page": page, "instances": copy.deepcopy(instances[start : start + INSTANCES_PER_PAGE])}


def _occurrence_or_404(state: FakeRollbarState, instance_id: int) -> dict:
    for occurrence in state.occurrences:
        if occurrence["id"] == instance_id:
            return occurrence
    raise ApiError(404, "Instance not found in this project.")


def get_instance(state: FakeRollbarState, instance_id: str, **_):
    with state.lock:
        return 200, copy.deepcopy(_occurrence_or_404(state, int(instance_id)))


def delete_instance(state: FakeRollbarState, instance_id: str, **_):
    with state.lock:
        # Deletes the occurrence only: "aggregate counts are not updated" (Rollbar's docs).
        state.occurrences.remove(_occurrence_or_404(state, int(instance_id)))
    return 200, None, {}, "The instance has been deleted"


def top_active_items(state: FakeRollbarState, query: dict, **_):
    hours = _int(query.get("hours", ["24"])[-1], "hours")
    if hours > 168:
        raise ApiError(400, "Invalid hours: must be between 1 and 168.")
    environments = {e for value in query.get("environments", []) for e in value.split(",") if e}
    now = time.time()
    start = now - hours * 3600
    with state.lock:
        counts: dict[int, list[int]] = {}
        for occurrence in state.occurrences:
            item = state.items[occurrence["item_id"]]
            if environments and item["environment"] not in environments:
                continue
            if not start <= occurrence["timestamp"] <= now:
                continue
            bucket = min(hours - 1, int((occurrence["timestamp"] - start) // 3600))
            counts.setdefault(item["id"], [0] * hours)[bucket] += 1
        ranked = sorted(
            counts,
            key=lambda i: (sum(counts[i]), state.items[i]["last_occurrence_timestamp"], i),
            reverse=True,
        )
        result = []
        for item_id in ranked:
            item = state.items[item_id]
            short = {
                "id": item["id"],
                "counter": item["counter"],
                "project_id": item["project_id"],
                "environment": item["environment"],
                "framework": item["framework"],
                "title": item["title"],
                "level": LEVELS[item["level"]],
                "group_status": item["group_status"],
                "last_occurrence_timestamp": item["last_occurrence_timestamp"],
                "occurrences": item["total_occurrences"],
                "unique_occurrences": item["unique_occurrences"],
            }
            result.append({"item": short, "counts": counts[item_id]})
    return 200, result


# (method, path pattern, scope needed, handler); the path is relative to the prefix.
ROUTES = [
    ("GET", r"/items/?", "read", list_items),
    ("GET", r"/item/?", "read", find_item),
    ("GET", r"/item/(?P<item_id>\d+)/?", "read", get_item),
    ("PATCH", r"/item/(?P<item_id>\d+)/?", "write", update_item),
    ("POST", r"/item/?", "post_server_item", create_occurrence),
    ("GET", r"/item/(?P<item_id>\d+)/instances/?", "read", list_instances),
    ("GET", r"/item_by_counter/(?P<counter>\d+)/?", "read", item_by_counter),
    ("GET", r"/instance/(?P<instance_id>\d+)/?", "read", get_instance),
    ("DELETE", r"/instance/(?P<instance_id>\d+)/?", "write", delete_instance),
    ("GET", r"/reports/top_active_items/?", "read", top_active_items),
]


class Handler(BaseHTTPRequestHandler):
    server: FakeRollbarServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet in tests; the standalone run logs
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    # --- plumbing ------------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            if not name.startswith("_"):
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload, headers: dict | None = None):
        body = json.dumps(payload).encode()
        self._send(status, body, "application/json; charset=utf-8", headers)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        state = self.server.state
        if url.path.startswith("/_fake/"):
            return self._hook(url.path[len("/_fake/") :].strip("/"), query)
        prefix = self.server.prefix
        if not url.path.startswith(prefix + "/"):
            return self._json(404, {"err": 1, "message": "Not found"})
        path = url.path[len(prefix) :]
        if path.rstrip("/") == "/status/ping":
            return self._send(200, b"pong", "text/plain; charset=utf-8")

        raw = self._read_body()
        self._rate_headers = state.idle_rate_headers()
        state.process_due()
        token = self.headers.get("X-Rollbar-Access-Token") or (query.get("access_token") or [""])[-1]
        with state.lock:
            state.requests.append(
                {
                    "method": self.command,
                    "path": path,
                    "query": query,
                    "token": token,
                    "body": raw.decode(errors="replace"),
                    "time": time.time(),
                }
            )
            response_delay = state.response_delay
            generation = state.generation
        if response_delay:
            time.sleep(response_delay)
            if state.generation != generation:
                self.close_connection = True  # its client gave up long ago; the state was reset since
                return None
        try:
            route, params = self._route(path)
            payload = self._payload(raw) if self.command in ("POST", "PATCH") else None
            if not token and isinstance(payload, dict) and self.command == "POST":
                token = str(payload.get("access_token") or "")  # legacy: the token in the body
            headers = self._authorize(token, route[2], payload)
            if headers.pop("_over"):
                raise ApiError(429, "Over rate limit for this access token.", headers)
            forced = self._take_forced()
            if forced is not None:
                if forced.delay:
                    time.sleep(forced.delay)
                if forced.raw is not None:
                    forced_headers = {**headers, **forced.headers}
                    return self._send(forced.status, forced.raw.encode(), "text/plain", forced_headers)
                raise ApiError(forced.status, forced.message, {**headers, **forced.headers})
            if isinstance(payload, dict):
                payload.pop("access_token", None)
            outcome = route[3](state, **params, query=query, payload=payload, prefix=prefix)
        except ApiError as error:
            headers = {**self._rate_headers, **error.headers}
            return self._json(error.status, {"err": 1, "message": error.message}, headers)
        status, result, *rest = outcome
        extra = rest[0] if rest else {}
        body = {"err": 0, "message": rest[1]} if len(rest) > 1 else {"err": 0, "result": result}
        return self._json(status, body, {**headers, **extra})

    def _route(self, path: str):
        for method, pattern, scope, handler in ROUTES:
            match = re.fullmatch(pattern, path)
            if match and method == self.command:
                return (method, pattern, scope, handler), match.groupdict()
        # Rollbar has no such route (e.g. DELETE /item/:id): a plain 404.
        raise ApiError(404, "Not found")

    def _payload(self, raw: bytes):
        if len(raw) > self.server.state.max_body:
            raise ApiError(413, "request entity too large")
        content_type = self.headers.get("Content-Type", "")
        try:
            if content_type.startswith("application/x-www-form-urlencoded"):
                form = parse_qs(raw.decode())
                return json.loads(form.get("payload", [""])[-1])
            return json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "Invalid JSON in the request body.") from None

    def _authorize(self, token: str, scope: str, payload) -> dict:
        state = self.server.state
        if not token:
            raise ApiError(401, "Missing access token.")
        with state.lock:
            scopes = state.tokens.get(token)
        if scopes is None:
            raise ApiError(403, "invalid access token")
        allowed = scope in scopes
        if not allowed and scope == "post_server_item" and "post_client_item" in scopes:
            platform = (payload or {}).get("data", {}).get("platform") if isinstance(payload, dict) else None
            allowed = platform in CLIENT_PLATFORMS
        headers = state.take_rate(token)
        self._rate_headers = {k: v for k, v in headers.items() if not k.startswith("_")}
        if not allowed:
            have = ", ".join(sorted(scopes)) or "no scope"
            raise ApiError(
                403,
                f"insufficient privileges: {scope} scope is required but the access token only has {have}.",
            )
        return headers

    def _take_forced(self) -> Forced | None:
        state = self.server.state
        with state.lock:
            if not state.forced:
                return None
            forced = state.forced[0]
            forced.times -= 1
            if forced.times <= 0:
                state.forced.pop(0)
            return forced

    def _hook(self, name: str, query: dict):
        state = self.server.state
        raw = self._read_body()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return self._json(400, {"err": 1, "message": "Invalid JSON"})
        if self.command == "POST" and name == "reset":
            state.reset()
            return self._json(200, {"err": 0, "result": "reset"})
        if self.command == "POST" and name == "items":
            items = state.seed_items(body.get("items"), count=int(body.get("count", 0)))
            return self._json(200, {"err": 0, "result": items})
        if self.command == "POST" and name == "tokens":
            state.set_tokens(body.get("tokens", {}), replace=bool(body.get("replace")))
            return self._json(200, {"err": 0, "result": {t: sorted(s) for t, s in state.tokens.items()}})
        if self.command == "POST" and name == "force":
            state.force(
                int(body.get("status", 500)),
                str(body.get("message", "forced")),
                int(body.get("times", 1)),
                float(body.get("delay", 0)),
                body.get("headers"),
                body.get("raw"),
            )
            return self._json(200, {"err": 0, "result": "forced"})
        if self.command == "POST" and name == "config":
            state.configure(**body)
            return self._json(200, {"err": 0, "result": "configured"})
        if self.command == "GET" and name == "occurrences":
            with state.lock:
                return self._json(200, {"err": 0, "result": copy.deepcopy(state.occurrences)})
        if self.command == "GET" and name == "requests":
            with state.lock:
                return self._json(200, {"err": 0, "result": copy.deepcopy(state.requests)})
        return self._json(404, {"err": 1, "message": f"No test hook {self.command} /_fake/{name}"})


class FakeRollbarServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, state: FakeRollbarState, prefix: str, verbose: bool = False):
        super().__init__(address, Handler)
        self.state = state
        self.prefix = prefix
        self.verbose = verbose

    def handle_error(self, request, client_address):
        # A client that gave up (its timeout) closes the socket before a delayed answer: not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeRollbar:
    """Start/stop wrapper: `url` is the API base to put in ROLLBAR_API_URL, `root` the server root."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, prefix: str = "/api/1", verbose: bool = False):
        self.state = FakeRollbarState()
        self.httpd = FakeRollbarServer((host, port), self.state, prefix.rstrip("/"), verbose)
        self.host, self.port = self.httpd.server_address[:2]
        self.root = f"http://{self.host}:{self.port}"
        self.url = self.root + prefix.rstrip("/")
        self._thread: threading.Thread | None = None

    def start(self) -> FakeRollbar:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="fake-rollbar", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description="A fake Rollbar API for trying the app without Rollbar.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--prefix", default="/api/1")
    parser.add_argument("--seed", type=int, default=5, help="demo items to create at start (default 5)")
    parser.add_argument("--rate-limit", type=int, default=DEFAULT_RATE_LIMIT, help="requests per window")
    parser.add_argument("--rate-window", type=int, default=DEFAULT_RATE_WINDOW, help="window in seconds")
    args = parser.parse_args(argv)

    fake = FakeRollbar(args.host, args.port, args.prefix, verbose=True)
    fake.state.configure(rate_limit=args.rate_limit, rate_window=args.rate_window)
    levels = list(LEVELS)
    fake.state.seed_items(
        [{"title": f"Demo item {n}", "level": levels[n % len(levels)]} for n in range(1, args.seed + 1)]
    )
    print(f"Fake Rollbar API at {fake.url}  (test hooks under {fake.root}/_fake/)")
    print("Tokens it accepts (X-Rollbar-Access-Token):")
    for token, scopes in DEMO_TOKENS.items():
        print(f"  {token}  scopes: {', '.join(sorted(scopes))}")
    print("Point the app at it:")
    print(f"  export ROLLBAR_API_URL={fake.url}")
    print(f"  export ROLLBAR_READ_TOKEN={READ_TOKEN}")
    print(f"  export ROLLBAR_WRITE_TOKEN={WRITE_TOKEN}")
    print(f"  export ROLLBAR_POST_TOKEN={POST_TOKEN}", flush=True)
    try:
        fake.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.httpd.server_close()


if __name__ == "__main__":
    main()
