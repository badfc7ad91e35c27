import type { Trial, TrialReport } from "@hpo/db";

export interface TrialReportJson {
  step: number;
  value: number;
  metrics: unknown;
  createdAt: string;
}

/** The public shape of a trial (CONTRACTS). Never carries the lease token or the log text. */
export interface TrialJson {
  id: string;
  studyId: string;
  number: number;
  state: string;
  params: unknown;
  value: number | null;
  metrics: unknown;
  origin: string;
  attempt: number;
  retryOf: string | null;
  workerId: string | null;
  gpu: string | null;
  backend: string | null;
  createdAt: string;
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  reports?: TrialReportJson[];
  diagnostics: unknown;
}

export function durationMsOf(trial: Pick<Trial, "startedAt" | "finishedAt">): number | null {
  if (!trial.startedAt || !trial.finishedAt) return null;
  return trial.finishedAt.getTime() - trial.startedAt.getTime();
}

export function toReportJson(report: TrialReport): TrialReportJson {
  return {
    step: report.step,
    value: report.value,
    metrics: report.metrics ?? null,
    createdAt: report.createdAt.toISOString(),
  };
}

export function toTrialJson(trial: Trial & { reports?: TrialReport[] }): TrialJson {
  const json: TrialJson = {
    id: trial.id,
    studyId: trial.studyId,
    number: trial.number,
    state: trial.state,
    params: trial.params,
    value: trial.value,
    metrics: trial.metrics ?? null,
    origin: trial.origin,
    attempt: trial.attempt,
    retryOf: trial.retryOf,
    workerId: trial.workerId,
    gpu: trial.gpu,
    backend: trial.backend,
    createdAt: trial.createdAt.toISOString(),
    queuedAt: trial.queuedAt?.toISOString() ?? null,
    startedAt: trial.startedAt?.toISOString() ?? null,
    finishedAt: trial.finishedAt?.toISOString() ?? null,
    durationMs: durationMsOf(trial),
    error: trial.error,
    diagnostics: trial.diagnostics ?? null,
  };
  if (trial.reports) json.reports = trial.reports.map(toReportJson);
  return json;
}
