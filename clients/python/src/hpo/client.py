"""The entry point: one API, one key."""

from __future__ import annotations

import os
import uuid
from typing import Any, Dict, List, Mapping, Optional, Union

from .errors import HpoError
from .retry import RetryPolicy
from .study import Study
from .transport import Transport

DEFAULT_API_URL = "http://127.0.0.1:3000"

#: Well inside the server's heartbeat grace (30 s by default): a couple of lost beats do not cost the lease.
DEFAULT_HEARTBEAT_INTERVAL = 10.0


class _Default:
    """Marks an argument left out (None means "no heartbeats")."""


_DEFAULT = _Default()


def _heartbeat_from_env() -> float:
    raw = os.environ.get("HPO_HEARTBEAT_INTERVAL_MS")
    if not raw:
        return DEFAULT_HEARTBEAT_INTERVAL
    try:
        milliseconds = float(raw)
    except ValueError:
        raise ValueError(f"HPO_HEARTBEAT_INTERVAL_MS must be a number of milliseconds, got {raw!r}") from None
    if milliseconds <= 0:
        raise ValueError(f"HPO_HEARTBEAT_INTERVAL_MS must be positive, got {raw!r}")
    return milliseconds / 1000.0


class Client:
    """Talks to one hpo API with one key.

    Args:
        api_url: the API's base URL; defaults to ``$HPO_API_URL``, then ``http://127.0.0.1:3000``.
        token: a ``user`` (or ``admin``) key; defaults to ``$HPO_TOKEN``.
        timeout: seconds per HTTP request.
        retry: how requests are retried on 429, 502/503/504 and network errors.
        heartbeat_interval: seconds between a running trial's heartbeats; keep it well below the
            server's ``HPO_HEARTBEAT_GRACE_MS``. Defaults to ``$HPO_HEARTBEAT_INTERVAL_MS`` / 1000 (the
            variable the workers read), then 10 s. ``None`` sends none (only for short trials).
    """

    def __init__(
        self,
        api_url: Optional[str] = None,
        token: Optional[str] = None,
        *,
        timeout: float = 30.0,
        retry: Optional[RetryPolicy] = None,
        heartbeat_interval: Union[float, None, _Default] = _DEFAULT,
    ) -> None:
        url = api_url or os.environ.get("HPO_API_URL") or DEFAULT_API_URL
        key = token or os.environ.get("HPO_TOKEN")
        if not key:
            raise ValueError("no API key: pass token=... or set HPO_TOKEN (npm start prints one)")
        interval = _heartbeat_from_env() if isinstance(heartbeat_interval, _Default) else heartbeat_interval
        if interval is not None and interval <= 0:
            raise ValueError("heartbeat_interval must be positive (or None for no heartbeats)")
        self.transport = Transport(url, key, timeout=timeout, retry=retry)
        self.heartbeat_interval: Optional[float] = interval

    @property
    def api_url(self) -> str:
        return self.transport.api_url

    def create_study(
        self,
        definition: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        load_if_exists: bool = False,
    ) -> Study:
        """Creates a study from its definition (the JSON of ``POST /v1/studies``; see the README).

        A retried request never creates a second study: all attempts share one ``Idempotency-Key``
        (pass your own to make a rerun of your script idempotent too). With ``load_if_exists``, a study
        of the same name in the project is returned instead of a ``409 name_taken``.
        """
        key = idempotency_key or str(uuid.uuid4())
        try:
            data = self.transport.request("POST", "/v1/studies", dict(definition), idempotency_key=key)
        except HpoError as error:
            if not (load_if_exists and error.code == "name_taken"):
                raise
            existing = self.find_study(str(definition.get("name", "")))
            if existing is None:
                raise
            return existing
        return Study(self, data)

    def study(self, study_id: str) -> Study:
        """The study with this id (read now, so an unknown id fails here with ``not_found``)."""
        return Study(self, self.transport.request("GET", f"/v1/studies/{study_id}"))

    def studies(self, *, state: Optional[str] = None, name: Optional[str] = None) -> List[Study]:
        """The project's studies, newest first; ``name`` matches a substring, ``state`` e.g. ``running``."""
        query: Dict[str, Any] = {"state": state, "name": name, "limit": 100}
        out: List[Study] = []
        while True:
            page = self.transport.request("GET", "/v1/studies", query=query)
            out.extend(Study(self, item) for item in page["items"])
            cursor = page.get("nextCursor")
            if not cursor:
                return out
            query["cursor"] = cursor

    def find_study(self, name: str) -> Optional[Study]:
        """The study with exactly this name, or None."""
        for study in self.studies(name=name):
            if study.name == name:
                return study
        return None
