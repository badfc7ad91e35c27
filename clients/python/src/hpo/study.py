"""A study on the server: ask for trials, run an objective in a loop, read the results."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Type, Union

from .errors import HpoError, LeaseLost
from .records import Params, TrialRecord
from .trial import Trial, ValueOrMetrics

if TYPE_CHECKING:
    from .client import Client

logger = logging.getLogger("hpo")

Objective = Callable[[Trial], Optional[ValueOrMetrics]]

#: Heartbeats too slow for the server's grace would lose every lease: stop rather than burn the budget.
MAX_LEASES_LOST_IN_A_ROW = 3

#: ask() answers these while the study cannot hand out a trial for good.
FINISHED_CODES = frozenset({"study_exhausted", "study_not_running"})


class Study:
    """A study, by id. ``data`` holds the last JSON read from the API (:meth:`refresh` rereads it)."""

    def __init__(self, client: "Client", data: Mapping[str, Any]) -> None:
        self.client = client
        self.id: str = str(data["id"])
        self.data: Dict[str, Any] = dict(data)

    def __repr__(self) -> str:
        return f"Study(id={self.id!r}, name={self.name!r}, state={self.state!r})"

    @property
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @property
    def state(self) -> str:
        """running, paused, completed or stopped, as of the last read."""
        return str(self.data.get("state", ""))

    @property
    def definition(self) -> Dict[str, Any]:
        return dict(self.data.get("definition") or {})

    def refresh(self) -> "Study":
        """Rereads the study (state, counts, best trial, progress)."""
        self.data = dict(self.client.transport.request("GET", f"/v1/studies/{self.id}"))
        return self

    # -- ask / tell ------------------------------------------------------------------------------------

    def ask(self, *, wait: float = 0.0, poll_interval: float = 1.0) -> Trial:
        """Leases the next point to evaluate as a running :class:`Trial` (heartbeats start at once).

        While the study already runs ``parallelism`` trials, keep asking for up to ``wait`` seconds.
        Raises :class:`HpoError` with code ``study_exhausted`` once ``maxTrials`` is used up (or a grid
        is exhausted), ``study_not_running`` when it is paused, stopped or completed.
        """
        deadline = time.monotonic() + wait
        while True:
            try:
                data = self.client.transport.request("POST", f"/v1/studies/{self.id}/ask", {})
                return Trial(self, data, self.client.heartbeat_interval)
            except HpoError as error:
                if error.code != "parallelism_reached" or time.monotonic() + poll_interval > deadline:
                    raise
            time.sleep(poll_interval)

    def enqueue(self, params: Params) -> TrialRecord:
        """Queues a trial with fixed params; it is served before any sampled point (manual trial and error)."""
        data = self.client.transport.request("POST", f"/v1/studies/{self.id}/trials", {"params": dict(params)})
        return TrialRecord.from_json(data)

    def optimize(
        self,
        objective: Objective,
        n_trials: Optional[int] = None,
        *,
        timeout: Optional[float] = None,
        catch: Union[Tuple[Type[BaseException], ...], Type[BaseException]] = (),
        callbacks: Iterable[Callable[["Study", TrialRecord], None]] = (),
        wait: float = 3600.0,
    ) -> List[TrialRecord]:
        """Runs ``objective(trial)`` on asked trials until ``n_trials`` ran here, ``timeout`` seconds
        passed, or the study has nothing left to ask (its budget is used up or it stopped).

        ``objective`` returns the value, a dict of metrics, or None when it told the trial itself; it
        may raise :class:`TrialPruned`. Any other exception tells the trial ``failed`` and propagates,
        unless its type is in ``catch``. ``wait``: how long to wait for a slot while the study already
        runs ``parallelism`` trials elsewhere. A trial whose lease was lost (abandoned after missed
        heartbeats; the server retries its point) is skipped, unless that happens
        ``MAX_LEASES_LOST_IN_A_ROW`` times in a row. Returns the trials run here, as finished.
        """
        caught = catch if isinstance(catch, tuple) else (catch,)
        deadline = None if timeout is None else time.monotonic() + timeout
        finished: List[TrialRecord] = []
        leases_lost = 0
        while n_trials is None or len(finished) < n_trials:
            if deadline is not None and time.monotonic() >= deadline:
                break
            try:
                trial = self.ask(wait=wait)
            except HpoError as error:
                if error.code in FINISHED_CODES:
                    logger.info("hpo: study %s has nothing more to ask (%s)", self.id, error.code)
                    break
                raise
            try:
                with trial:
                    result = objective(trial)
                    if not trial.finished:
                        if result is None:
                            raise ValueError("the objective returned None without telling the trial")
                        trial.tell(result)
            except LeaseLost as lost:
                leases_lost += 1
                if leases_lost >= MAX_LEASES_LOST_IN_A_ROW:
                    raise
                logger.warning("hpo: trial %d lost its lease, going on with the next: %s", trial.number, lost)
                continue
            except caught as error:  # the trial was told failed by the context manager
                logger.warning("hpo: trial %d failed: %r", trial.number, error)
            leases_lost = 0
            if trial.record is not None:
                finished.append(trial.record)
                for callback in callbacks:
                    callback(self, trial.record)
        return finished

    # -- results ---------------------------------------------------------------------------------------

    @property
    def best_trial(self) -> Optional[TrialRecord]:
        """The best complete trial so far (by the objective's direction), or None."""
        best = self.refresh().data.get("best")
        if not best:
            return None
        return TrialRecord.from_json(self.client.transport.request("GET", f"/v1/trials/{best['id']}"))

    @property
    def best_value(self) -> Optional[float]:
        best = self.refresh().data.get("best")
        return None if not best else best.get("value")

    @property
    def best_params(self) -> Optional[Params]:
        best = self.refresh().data.get("best")
        return None if not best else dict(best.get("params") or {})

    def trials(
        self,
        *,
        states: Optional[Iterable[str]] = None,
        sort: Optional[str] = None,
        include_reports: bool = False,
        limit: Optional[int] = None,
    ) -> List[TrialRecord]:
        """The study's trials, every page: ``states`` filters (e.g. ``["complete"]``), ``sort`` is
        ``number`` (default), ``value`` or ``duration`` (``-`` in front for descending)."""
        query: Dict[str, Any] = {
            "state": None if states is None else ",".join(states),
            "sort": sort,
            "include": "reports" if include_reports else None,
            "limit": 500 if limit is None else min(limit, 500),
        }
        out: List[TrialRecord] = []
        while True:
            page = self.client.transport.request("GET", f"/v1/studies/{self.id}/trials", query=query)
            out.extend(TrialRecord.from_json(item) for item in page["items"])
            cursor = page.get("nextCursor")
            if not cursor or (limit is not None and len(out) >= limit):
                return out if limit is None else out[:limit]
            query["cursor"] = cursor

    # -- control ---------------------------------------------------------------------------------------

    def pause(self) -> "Study":
        return self._patch({"action": "pause"})

    def resume(self) -> "Study":
        return self._patch({"action": "resume"})

    def stop(self) -> "Study":
        return self._patch({"action": "stop"})

    def set_parallelism(self, parallelism: int) -> "Study":
        return self._patch({"parallelism": int(parallelism)})

    def _patch(self, body: Dict[str, Any]) -> "Study":
        self.data = dict(self.client.transport.request("PATCH", f"/v1/studies/{self.id}", body))
        return self
