"""Shared helpers for the client's tests, which run against a real hpo API.

Set ``HPO_API_URL`` and ``HPO_TOKEN`` (a user key). ``tests/clients/python-client.test.ts`` starts an API
and a scheduler of its own and runs this suite with them; ``HPO_TEST_REQUIRE_API=1`` turns a missing API
into a failure instead of a skip, and ``HPO_TEST_HEARTBEAT_GRACE_MS`` tells the heartbeat test the
scheduler's grace.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
import threading
import time
import unittest
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_ROOT = os.path.dirname(HERE)
# The sources under test, never a stale installed copy.
sys.path.insert(0, os.path.join(CLIENT_ROOT, "src"))

import hpo  # noqa: E402


def api_settings() -> Tuple[str, str]:
    """The API URL and user key under test; skips (or fails, under HPO_TEST_REQUIRE_API) without them."""
    url = os.environ.get("HPO_API_URL")
    token = os.environ.get("HPO_TOKEN")
    if not url or not token:
        message = "set HPO_API_URL and HPO_TOKEN (a user key) to run the client against a real API"
        if os.environ.get("HPO_TEST_REQUIRE_API") == "1":
            raise AssertionError(message)
        raise unittest.SkipTest(message)
    return url, token


def make_client(api_url: Optional[str] = None, **kwargs: Any) -> hpo.Client:
    url, token = api_settings()
    kwargs.setdefault("heartbeat_interval", 0.5)
    return hpo.Client(api_url or url, token, **kwargs)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def definition(name: str, **overrides: Any) -> Dict[str, Any]:
    """A small external study: the service proposes, the test evaluates."""
    body: Dict[str, Any] = {
        "name": unique(name),
        "objective": {"metric": "loss", "direction": "minimize"},
        "space": [
            {"name": "x", "type": "float", "low": -5, "high": 5},
            {"name": "opt", "type": "categorical", "choices": ["sgd", "adam"]},
        ],
        "sampler": {"type": "random"},
        "budget": {"maxTrials": 10, "parallelism": 4},
        "seed": 11,
    }
    body.update(overrides)
    return body


@dataclass
class Seen:
    """One request as the proxy received it."""

    method: str
    path: str
    headers: Dict[str, str]
    at: float


@dataclass
class Fault:
    """What the proxy does to the next ``times`` requests matching ``method`` and ``path`` (a regex).

    kind ``status``: answer ``status`` itself (with ``Retry-After`` if given), never reaching the API;
    ``drop_request``: close the connection without forwarding; ``drop_response``: forward to the API,
    then close the connection instead of answering (the request happened, the answer was lost).
    """

    method: str
    path: str
    kind: str
    times: int = 1
    status: int = 503
    retry_after: Optional[str] = None
    used: int = field(default=0)


class FaultProxy:
    """An HTTP proxy in front of the real API that loses or refuses chosen requests, to exercise the
    client's retries against real server behaviour (not a mock: every other request goes through)."""

    def __init__(self, upstream: str) -> None:
        parsed = urllib.parse.urlparse(upstream)
        self.upstream_host = parsed.hostname or "127.0.0.1"
        self.upstream_port = parsed.port or 80
        self.faults: List[Fault] = []
        self.seen: List[Seen] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy._take(self.command, self.path, dict(self.headers.items()))
                if fault is not None and fault.kind == "status":
                    payload = b'{"error":{"code":"injected","message":"injected by the test proxy","details":null}}'
                    self.send_response(fault.status)
                    if fault.retry_after is not None:
                        self.send_header("Retry-After", fault.retry_after)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if fault is not None and fault.kind == "drop_request":
                    self.close_connection = True
                    return
                status, headers, payload = proxy._forward(self.command, self.path, dict(self.headers.items()), body)
                if fault is not None and fault.kind == "drop_response":
                    self.close_connection = True
                    return
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def requests(self, method: str, path: str) -> List[Seen]:
        pattern = re.compile(path)
        with self._lock:
            return [seen for seen in self.seen if seen.method == method and pattern.search(seen.path)]

    def _take(self, method: str, path: str, headers: Dict[str, str]) -> Optional[Fault]:
        with self._lock:
            self.seen.append(Seen(method, path, headers, time.monotonic()))
            for fault in self.faults:
                if fault.used < fault.times and fault.method == method and re.search(fault.path, path):
                    fault.used += 1
                    return fault
        return None

    def _forward(
        self, method: str, path: str, headers: Dict[str, str], body: bytes
    ) -> Tuple[int, List[Tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            forwarded = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection")}
            connection.request(method, path, body=body or None, headers=forwarded)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()
