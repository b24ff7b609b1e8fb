"""A thin client of Rollbar's REST API (no Django here): scoped tokens, timeouts, retries, typed errors.

Tokens are sent only in the `X-Rollbar-Access-Token` header and are scrubbed from every message this
module writes (logs and exceptions), including messages that Rollbar echoes back.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.util import Retry

logger = logging.getLogger(__name__)

# Per kind of token: the setting that holds it, and Rollbar's name of its scope (for messages).
TOKENS = {
    "read": ("ROLLBAR_READ_TOKEN", "read"),
    "write": ("ROLLBAR_WRITE_TOKEN", "write"),
    "post": ("ROLLBAR_POST_TOKEN", "post_server_item"),
}
# Waits Rollbar asks for outside 0..MAX_RATE_WAIT are not believed (a header of "inf", NaN or a year).
MAX_RATE_WAIT = 3600.0
DEFAULT_RATE_WAIT = 60.0  # Rollbar's windows are a minute by default
# A longer wait is not slept inside a request: the caller gets RateLimited with the wait at once.
MAX_RETRY_WAIT = 2.0


class RollbarError(Exception):
    """Base of every error of this client; `message` is safe to show (no token in it)."""

    def __init__(self, message: str, status: int | None = None, *, variable: str = "", retry_after: int = 0):
        super().__init__(message)
        self.message = message
        self.status = status
        self.variable = variable  # AuthRefused, NotConfigured: the setting that holds the token
        self.retry_after = retry_after  # RateLimited: seconds until the token's window resets


class NotFound(RollbarError):
    """Rollbar answered 404: no such item, occurrence or route."""


class Invalid(RollbarError):
    """Rollbar rejected the request (400, 413 or 422); `message` is Rollbar's explanation."""


class AuthRefused(RollbarError):
    """Rollbar refused the token (401/403): wrong, disabled, or without the scope needed."""


class RateLimited(RollbarError):
    """Over the token's rate limit; `retry_after` is how many seconds until the window resets."""


class Unavailable(RollbarError):
    """Rollbar failed (5xx), could not be reached, or answered something that is not its API."""


class Timeout(RollbarError):
    """Rollbar did not answer within the read timeout (or accept the connection within the connect one)."""


class NotConfigured(RollbarError):
    """The token needed for a call is not set; `variable` names the setting to set."""


def rate_limit_wait(headers: Mapping[str, str]) -> float:
    """Seconds until the token's window resets, from Rollbar's headers (or Retry-After)."""
    now = time.time()
    readings = (("X-Rate-Limit-Remaining-Seconds", 0.0), ("X-Rate-Limit-Reset", now), ("Retry-After", 0.0))
    for name, since in readings:
        try:
            wait = float(headers[name]) - since
        except (KeyError, ValueError):
            continue  # absent or unreadable: try the next one
        if math.isfinite(wait) and wait <= MAX_RATE_WAIT:
            return max(0.0, wait)
    return DEFAULT_RATE_WAIT


class RollbarRetry(Retry):
    """urllib3's retries, reading a 429's wait from Rollbar's X-Rate-Limit-* headers: a 429 is retried
    when its window ends within MAX_RETRY_WAIT, a 5xx after the backoff (whatever its Retry-After)."""

    RETRY_AFTER_STATUS_CODES = frozenset()  # retry only what status_forcelist lists

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        return rate_limit_wait(response.headers) if response.status == 429 else None

    def increment(self, method=None, url=None, response=None, *args, **kwargs):
        wait = self.get_retry_after(response) if response is not None else None
        if wait is not None and wait > MAX_RETRY_WAIT:
            # No retry left, so urllib3 gives the 429 back as the answer (raise_on_status=False).
            return Retry.increment(self.new(total=0), method, url, response, *args, **kwargs)
        return super().increment(method, url, response, *args, **kwargs)


class RollbarClient:
    """One method per Rollbar operation the app uses; each returns the unwrapped `result`."""

    def __init__(
        self,
        base_url: str,
        *,
        read_token: str = "",
        write_token: str = "",
        post_token: str = "",
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.2,
    ):
        self.base_url = base_url.rstrip("/")
        self._tokens = {"read": read_token, "write": write_token, "post": post_token}
        # Connecting takes one round trip; past a lost SYN (resent after 1 s) the host is not there.
        self.timeout = (min(timeout, 1.5), timeout)
        retry = RollbarRetry(
            total=retries,
            # Answers are retried; failing to get one is not (requests' default), a timeout least of all.
            connect=0,
            read=False,
            other=0,
            allowed_methods={"GET", "PATCH"},  # idempotent: a POST sends an occurrence once
            status_forcelist={429, *range(500, 600)},
            backoff_factor=backoff,
            raise_on_status=False,
        )
        self.session = requests.Session()
        self.session.mount(self.base_url, HTTPAdapter(max_retries=retry))
        self.session.headers["Accept"] = "application/json"

    def __repr__(self) -> str:  # never show the tokens, even in a debugger or a traceback's locals
        return f"<RollbarClient {self.base_url}>"

    def list_items(
        self,
        *,
        status: Iterable[str] = (),
        level: Iterable[str] = (),
        environment: Iterable[str] = (),
        page: int = 1,
    ) -> dict:
        """`GET /items/`: `{"items": [...], "page": n, "total_count": m|None}` (100 items a page)."""
        filters = {"status": status, "level": level, "environment": environment}
        params = [(name, value) for name, values in filters.items() for value in values]
        return self._call("GET", "/items/", "read", params=[*params, ("page", str(page))])

    def get_item(self, item_id: int) -> dict:
        return self._call("GET", f"/item/{int(item_id)}", "read")

    def get_item_by_uuid(self, occurrence_uuid: str) -> dict:
        """The item of an occurrence; NotFound until Rollbar has processed it (creation is async)."""
        return self._call("GET", "/item/", "read", params=[("uuid", occurrence_uuid)])

    def create_occurrence(self, payload: dict) -> dict:
        """`POST /item/` with an occurrence payload: `{"id": None, "uuid": ...}`. Never retried."""
        return self._call("POST", "/item/", "post", json=payload)

    def update_item(self, item_id: int, fields: dict) -> dict:
        """`PATCH /item/:id`: Rollbar echoes back the fields that were sent."""
        return self._call("PATCH", f"/item/{int(item_id)}", "write", json=fields)

    def top_active_items(self, *, hours: int = 24, environments: Iterable[str] = ()) -> list:
        params = [("hours", str(hours))]
        if environments:
            params.append(("environments", ",".join(environments)))
        return self._call("GET", "/reports/top_active_items", "read", params=params)

    def redact(self, text: str) -> str:
        """`text` with every configured token replaced, in any case and URL-encoded, for anything
        Rollbar echoes back. Redact before cutting a text short: a cut copy no longer matches."""
        for token in filter(None, self._tokens.values()):
            forms = {re.escape(token), re.escape(quote(token, safe=""))}
            text = re.sub("|".join(forms), "[token]", text, flags=re.IGNORECASE)
        return text

    def _call(self, method: str, path: str, kind: str, **kwargs: Any) -> Any:
        variable, scope = TOKENS[kind]
        if not self._tokens[kind]:
            raise NotConfigured(
                f"{variable} is not set; set it to a Rollbar project access token with the {scope} scope.",
                variable=variable,
            )
        headers = {"X-Rollbar-Access-Token": self._tokens[kind]}
        started = time.monotonic()
        try:
            response = self.session.request(
                method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
            )
        except requests.Timeout:
            logger.warning("rollbar %s %s timed out after %.1fs", method, path, time.monotonic() - started)
            raise Timeout(f"Rollbar did not answer within {self.timeout[1]:g} seconds.") from None
        except requests.RequestException as error:
            logger.warning("rollbar %s %s failed: %s", method, path, type(error).__name__)
            raise Unavailable(f"Rollbar could not be reached at {self.base_url}.") from None
        remaining = response.headers.get("X-Rate-Limit-Remaining", "?")
        took = (time.monotonic() - started) * 1000
        logger.debug(
            "rollbar %s %s -> %s in %.0fms, %s left", method, path, response.status_code, took, remaining
        )
        return self._unwrap(response, variable, scope)

    def _unwrap(self, response: requests.Response, variable: str, scope: str) -> Any:
        status = response.status_code
        if status == 429:
            wait = max(1, math.ceil(rate_limit_wait(response.headers)))
            raise RateLimited(
                f"Rollbar's rate limit for the access token is reached; try again in {wait} seconds.",
                status,
                retry_after=wait,
            )
        if status >= 500:
            raise Unavailable(f"Rollbar failed with HTTP {status}.", status)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "err" not in body:
            if response.ok:
                raise Unavailable("Rollbar answered with something that is not its JSON API.", status)
            body = {"err": 1, "message": self.redact(response.text)[:200] or response.reason}
        if response.ok and not body.get("err"):
            return body.get("result")
        message = self.redact(str(body.get("message") or response.reason or "no message"))
        if status in (401, 403):
            raise AuthRefused(
                f"Rollbar refused the configured access token {variable} "
                f"(HTTP {status}: {message}); check the token and its {scope} scope.",
                status,
                variable=variable,
            )
        if status == 404:
            raise NotFound(message, status)
        if status in (400, 413, 422):
            raise Invalid(message, status)
        raise RollbarError(f"Rollbar answered HTTP {status}: {message}", status)
