"""HTTP for the client: JSON in and out, bearer auth, bounded retries. Standard library only."""

from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Mapping, Optional, Sequence, cast

from .errors import HpoError, error_from_response
from .retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after

logger = logging.getLogger("hpo")

USER_AGENT = "hpo-python/0.1.0"

#: Failures where the request may not have reached the server, or its answer was lost on the way back.
NETWORK_ERRORS = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    socket.timeout,
    TimeoutError,
)


class Transport:
    """Sends requests to one API with one key.

    Every write is safe to repeat: the server fences trial writes by lease token, stores a report step
    once, answers an identical repeated tell with the stored trial, and creates a study once per
    ``Idempotency-Key``. So a request is retried on 429 (after ``Retry-After``), 502/503/504 and network
    errors, with the same ``Idempotency-Key`` on every attempt, up to ``retry.max_attempts``.
    """

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        retry: Optional[RetryPolicy] = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Optional[random.Random] = None,
    ) -> None:
        parsed = urllib.parse.urlparse(api_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"api_url must be an http(s) URL, got {api_url!r}")
        self.api_url = api_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._opener = urllib.request.build_opener()

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        retry: Optional[RetryPolicy] = None,
    ) -> Any:
        """Sends one logical request (retrying as the policy allows) and returns the decoded JSON body.

        Writes (POST, PATCH) carry an ``Idempotency-Key``: the one given, or a fresh one shared by all
        attempts. Raises :class:`HpoError` (or :class:`LeaseLost`) with the server's code on an error.
        """
        policy = retry or self.retry
        url = self.api_url + path
        if query:
            pairs = [(key, _query_value(value)) for key, value in query.items() if value is not None]
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        data: Optional[bytes] = None
        if body is not None:
            data = json.dumps(body, allow_nan=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if method in ("POST", "PATCH", "PUT"):
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())

        attempt = 0
        while True:
            attempt += 1
            retry_after: Optional[float] = None
            try:
                return self._send(method, url, data, headers)
            except urllib.error.HTTPError as response:
                status = response.code
                payload = _decode(_read(response), response.headers.get("Content-Type"))
                error = error_from_response(status, payload)
                if status not in RETRYABLE_STATUSES or attempt >= policy.max_attempts:
                    raise error from None
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                reason = f"{status} {error.code}"
            except NETWORK_ERRORS as failure:
                if attempt >= policy.max_attempts:
                    raise HpoError(
                        f"{method} {path} failed after {attempt} attempt(s): {failure}",
                        code="network_error",
                    ) from failure
                reason = f"{type(failure).__name__}: {failure}"
            delay = policy.delay(attempt, retry_after, self._rng)
            logger.info("hpo: %s %s -> %s; retry %d in %.2f s", method, path, reason, attempt, delay)
            self._sleep(delay)

    def _send(self, method: str, url: str, data: Optional[bytes], headers: Mapping[str, str]) -> Any:
        request = urllib.request.Request(url, data=data, headers=dict(headers), method=method)
        with self._opener.open(request, timeout=self.timeout) as response:
            raw = response.read()
            return _decode(raw, response.headers.get("Content-Type"))


def _read(response: urllib.error.HTTPError) -> bytes:
    try:
        return response.read()
    except (OSError, http.client.HTTPException):
        return b""
    finally:
        response.close()


def _decode(raw: bytes, content_type: Optional[str]) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if content_type and "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in cast(Sequence[Any], value))
    return str(value)
