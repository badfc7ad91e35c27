"""Read-only views of what the API returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

Params = Dict[str, Any]
Metrics = Dict[str, float]


@dataclass(frozen=True)
class Report:
    """One intermediate value of a trial (``trial.report(step, ...)``)."""

    step: int
    value: float
    metrics: Optional[Metrics]


@dataclass(frozen=True)
class TrialRecord:
    """A trial as the API stores it (any state). ``raw`` keeps every field of the JSON."""

    id: str
    study_id: str
    number: int
    state: str
    params: Params
    value: Optional[float]
    metrics: Optional[Metrics]
    error: Optional[str]
    origin: str
    attempt: int
    duration_ms: Optional[int]
    reports: List[Report] = field(default_factory=lambda: list[Report]())
    raw: Mapping[str, Any] = field(default_factory=lambda: dict[str, Any](), repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TrialRecord":
        items: List[Mapping[str, Any]] = data.get("reports") or []
        reports = [
            Report(step=int(item["step"]), value=float(item["value"]), metrics=item.get("metrics"))
            for item in items
        ]
        return cls(
            id=str(data["id"]),
            study_id=str(data.get("studyId", "")),
            number=int(data["number"]),
            state=str(data["state"]),
            params=dict(data.get("params") or {}),
            value=data.get("value"),
            metrics=data.get("metrics"),
            error=data.get("error"),
            origin=str(data.get("origin", "")),
            attempt=int(data.get("attempt", 0)),
            duration_ms=data.get("durationMs"),
            reports=reports,
            raw=dict(data.items()),
        )
