"""A leased trial: the point to evaluate, and the lease-fenced writes about it."""

from __future__ import annotations

import logging
import math
import traceback
import warnings
import weakref
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Type, Union

from .errors import HpoError, LeaseLost, TrialPruned
from .heartbeat import Heartbeat
from .records import Params, TrialRecord
from .retry import RetryPolicy

if TYPE_CHECKING:
    from .study import Study

logger = logging.getLogger("hpo")

ValueOrMetrics = Union[float, int, Mapping[str, float]]

#: Heartbeats retry little: the next beat comes soon, and a beat stuck in backoff would delay the tell.
HEARTBEAT_RETRY = RetryPolicy(max_attempts=2, base_delay=0.5, max_delay=1.0, max_retry_after=5.0)

_STATES = ("complete", "failed", "pruned")


class Trial:
    """One point of the study, leased to this process by :meth:`Study.ask`.

    Read ``params`` (the hyperparameters), train, optionally ``report`` per epoch (the answer says
    whether to prune), and ``tell`` the result. A background thread sends heartbeats until the tell, so
    the lease outlives long epochs. Used as a context manager it always ends with a tell: ``failed``
    with the exception's text if the block raises (the exception still propagates), ``pruned`` on
    :class:`TrialPruned`.
    """

    def __init__(self, study: "Study", data: Mapping[str, Any], heartbeat_interval: Optional[float]) -> None:
        self.study = study
        self.id: str = str(data["id"])
        self.number: int = int(data["number"])
        self.params: Params = dict(data.get("params") or {})
        self.lease_token: str = str(data["leaseToken"])
        self.attempt: int = int(data.get("attempt", 0))
        self.origin: str = str(data.get("origin", ""))
        self.record: Optional[TrialRecord] = None
        self._prune = False
        self._stop = False
        self._heartbeat: Optional[Heartbeat] = None
        if heartbeat_interval is not None:
            self._heartbeat = Heartbeat(self._weak_beat(), heartbeat_interval, f"hpo-heartbeat-{self.id[:8]}").start()

    def __repr__(self) -> str:
        return f"Trial(number={self.number}, id={self.id!r}, params={self.params!r})"

    # -- the lifecycle ---------------------------------------------------------------------------------

    def report(self, step: int, value_or_metrics: ValueOrMetrics) -> bool:
        """Stores an intermediate result for ``step`` (an epoch, a number of samples...).

        Give the objective's value, or a dict of metrics that contains the objective metric. Returns
        :meth:`should_prune`: True when the study's pruner wants this trial stopped, or the study itself
        was stopped. Reporting the same step twice stores it once.
        """
        body: Dict[str, Any] = {"leaseToken": self.lease_token, "step": int(step)}
        body.update(_value_or_metrics(value_or_metrics))
        answer = self._write("report", body)
        self._prune = bool(answer.get("prune"))
        self._stop = self._stop or bool(answer.get("stop"))
        return self.should_prune()

    def should_prune(self) -> bool:
        """Whether the trial should end now: the pruner said so at the last report, or the study stopped."""
        return self._prune or self.should_stop()

    def should_stop(self) -> bool:
        """Whether the study was stopped or completed while this trial ran (from a report or heartbeat)."""
        return self._stop or (self._heartbeat is not None and self._heartbeat.stop_requested)

    def tell(
        self,
        value: Optional[ValueOrMetrics] = None,
        *,
        metrics: Optional[Mapping[str, float]] = None,
        state: str = "complete",
        error: Optional[str] = None,
    ) -> TrialRecord:
        """Finishes the trial: ``tell(0.12)``, ``tell(metrics={"val_loss": 0.12, "acc": 0.97})``,
        ``tell(state="failed", error="...")`` or ``tell(state="pruned")``.

        A ``complete`` tell needs a value or the objective metric among ``metrics``; a ``pruned`` one
        defaults to the last reported value. Safe to retry: an identical repeat returns the stored trial.
        """
        if state not in _STATES:
            raise ValueError(f"state must be one of {', '.join(_STATES)}, got {state!r}")
        body: Dict[str, Any] = {"leaseToken": self.lease_token, "state": state}
        if value is not None:
            if isinstance(value, Mapping):
                if metrics is not None:
                    raise ValueError("give the metrics once: tell(metrics) or tell(metrics=...)")
                metrics = value
            else:
                body["value"] = _finite(value, "value")
        if metrics is not None:
            body["metrics"] = _metrics(metrics)
        if error is not None:
            body["error"] = error[:10_000]
        self._stop_heartbeat()
        self.record = TrialRecord.from_json(self._write("tell", body))
        return self.record

    @property
    def finished(self) -> bool:
        """Whether this trial was told."""
        return self.record is not None

    # -- context manager -------------------------------------------------------------------------------

    def __enter__(self) -> "Trial":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool:
        if self.finished:
            self._stop_heartbeat()
            return False
        if exc is None:
            warnings.warn(
                f"trial {self.number} ended without tell(); it is told failed",
                RuntimeWarning,
                stacklevel=2,
            )
            self.tell(state="failed", error="the trial's block ended without a result (call trial.tell)")
            return False
        if isinstance(exc, TrialPruned):
            if self._prune or not self.should_stop():
                self._tell_quietly(state="pruned")
            else:
                self._tell_quietly(state="failed", error="stopped: the study was stopped")
            return True  # TrialPruned is how a block ends a trial early, not an error
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        self._tell_quietly(state="failed", error=text)
        return False  # never swallow the caller's exception

    def _tell_quietly(self, **kwargs: Any) -> None:
        """A tell while an exception is handled must not replace that exception."""
        try:
            self.tell(**kwargs)
        except HpoError as error:
            logger.warning("hpo: could not tell trial %d %s: %s", self.number, kwargs.get("state"), error)

    # -- plumbing --------------------------------------------------------------------------------------

    def _write(self, action: str, body: Dict[str, Any], retry: Optional[RetryPolicy] = None) -> Any:
        lost = self._heartbeat.lease_lost if self._heartbeat is not None else None
        if lost is not None and action != "tell":
            raise lost
        return self.study.client.transport.request(
            "POST", f"/v1/trials/{self.id}/{action}", body, retry=retry
        )

    def _weak_beat(self) -> Callable[[], Optional[bool]]:
        """The heartbeat's call, holding the trial weakly: a trial dropped without a tell stops beating."""
        method = weakref.WeakMethod(self._beat)

        def beat() -> Optional[bool]:
            bound = method()
            return None if bound is None else bound()

        return beat

    def _beat(self) -> bool:
        answer = self._write("heartbeat", {"leaseToken": self.lease_token}, HEARTBEAT_RETRY)
        return bool(answer.get("stop"))

    def _stop_heartbeat(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.stop()

    @property
    def lease_lost(self) -> Optional[LeaseLost]:
        """Set when a heartbeat found the lease gone (the trial was abandoned): stop working on it."""
        return self._heartbeat.lease_lost if self._heartbeat is not None else None


def _finite(value: Any, name: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def _metrics(metrics: Mapping[str, Any]) -> Dict[str, Optional[float]]:
    """Metrics as JSON: a diverged run's NaN or infinity is sent as null, which the API drops."""
    out: Dict[str, Optional[float]] = {}
    for name, value in metrics.items():
        number = float(value)
        out[str(name)] = number if math.isfinite(number) else None
    return out


def _value_or_metrics(value_or_metrics: ValueOrMetrics) -> Dict[str, Any]:
    if isinstance(value_or_metrics, Mapping):
        return {"metrics": _metrics(value_or_metrics)}
    return {"value": _finite(value_or_metrics, "value")}
