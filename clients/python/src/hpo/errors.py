"""Exceptions raised by the client. Every API error keeps the server's stable ``code``."""

from __future__ import annotations

from typing import Any, Dict, Optional, cast


class HpoError(Exception):
    """An error answered by the hpo API, or a request that could not reach it.

    Attributes:
        code: the stable error code (``validation_failed``, ``lease_conflict``, ``study_exhausted``,
            ``rate_limited``...; ``network_error`` when the API could not be reached at all).
        status: the HTTP status, or ``None`` for a network error.
        details: the error's ``details`` object (for ``validation_failed``, the issues with their JSON
            paths), or ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: Optional[int] = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = details

    def __str__(self) -> str:
        where = f"{self.status} " if self.status is not None else ""
        return f"{where}{self.code}: {self.message}"


class LeaseLost(HpoError):
    """A write was refused because this process no longer holds the trial's lease (409 ``lease_conflict``).

    The trial was abandoned (heartbeats stopped for longer than the server's grace) or finished by
    another result. Nothing was changed; stop working on the trial.
    """


class TrialPruned(Exception):
    """Raise inside ``with study.ask() as trial:`` to end the trial early; it is told ``pruned``.

    The usual pattern, as in Optuna::

        if trial.report(epoch, val_loss):
            raise TrialPruned()
    """


def error_from_response(status: int, body: Any) -> HpoError:
    """Builds the exception for an error response (``{"error": {"code", "message", "details"}}``)."""
    code = "http_error"
    message = f"HTTP {status}"
    details: Any = None
    error: Any = cast(Dict[str, Any], body).get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        fields = cast(Dict[str, Any], error)
        code = str(fields.get("code") or code)
        message = str(fields.get("message") or message)
        details = fields.get("details")
    elif isinstance(body, str) and body:
        message = body[:500]
    cls = LeaseLost if status == 409 and code == "lease_conflict" else HpoError
    return cls(message, code=code, status=status, details=details)
