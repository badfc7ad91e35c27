import type { TrialReply, TrialReportReply } from "@hpo/contracts";
import { readMetrics, readParams, type Trial, type TrialReport } from "@hpo/db";

export function durationMsOf(trial: Pick<Trial, "startedAt" | "finishedAt">): number | null {
  if (!trial.startedAt || !trial.finishedAt) return null;
  return trial.finishedAt.getTime() - trial.startedAt.getTime();
}

export function toReportJson(report: TrialReport): TrialReportReply {
  return {
    step: report.step,
    value: report.value,
    metrics: readMetrics(report.metrics),
    createdAt: report.createdAt.toISOString(),
  };
}

/** The public shape of a trial (`trialReplySchema`): never the lease token or the log text. */
export function toTrialJson(
  trial: Omit<Trial, "log" | "leaseToken"> & { reports?: TrialReport[] },
): TrialReply {
  const json: TrialReply = {
    id: trial.id,
    studyId: trial.studyId,
    number: trial.number,
    state: trial.state,
    params: readParams(trial.params),
    value: trial.value,
    values: trial.values,
    constraintViolations: trial.constraintViolations,
    feasible: trial.feasible,
    metrics: readMetrics(trial.metrics),
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
