import { performance } from "node:perf_hooks";
import type { StudySummaryReply, TrialCounts } from "@hpo/contracts";
import { readParams, readStudyDefinition, readStudyTrialCounts, type Db, type Study } from "@hpo/db";
import { historyColumns, loadHistorySummary } from "./history-summary.js";
import { loadIntermediateCurves } from "./intermediate-curves.js";
import { summarizeParams } from "./param-distributions.js";
import { metricNamesOf, pickPlotSample } from "./param-sample.js";
import type { ParamSampleCache } from "./param-sample-cache.js";

/** Trials drawn on parallel coordinates and slice plots. */
export const plotSampleLimit = 1_000;

async function countTrials(
  db: Db,
  studyId: string,
): Promise<{ counts: TrialCounts; maxNumber: number | null }> {
  const [counts, last] = await Promise.all([
    readStudyTrialCounts(db, studyId),
    db.trial.findFirst({ where: { studyId }, orderBy: { number: "desc" }, select: { number: true } }),
  ]);
  return { counts, maxNumber: last?.number ?? null };
}

/**
 * Summaries of settled studies (completed or stopped, nothing queued or running): their trials can no longer
 * change, so the summary is kept until the study itself changes (its updatedAt) or a count moves.
 */
export class SettledSummaryCache {
  private readonly entries = new Map<string, { version: string; summary: StudySummaryReply }>();

  constructor(private readonly capacity = 32) {}

  get(studyId: string, version: string): StudySummaryReply | null {
    const entry = this.entries.get(studyId);
    return entry && entry.version === version ? entry.summary : null;
  }

  set(studyId: string, version: string, summary: StudySummaryReply): void {
    this.entries.delete(studyId);
    this.entries.set(studyId, { version, summary });
    const oldest = this.entries.keys().next().value;
    if (this.entries.size > this.capacity && oldest !== undefined) this.entries.delete(oldest);
  }
}

function settledVersion(study: Study, counts: TrialCounts, maxNumber: number | null): string | null {
  const settled = study.state === "completed" || study.state === "stopped";
  const active = counts.waiting + counts.queued + counts.running;
  return settled && active === 0
    ? `${study.updatedAt.toISOString()}|${JSON.stringify(counts)}|${maxNumber}`
    : null;
}

/**
 * GET /v1/studies/:id/summary: the study page's data in one answer of bounded size, whatever the number of
 * trials. Counts first (they size the rest, and tell whether a settled study's summary can be reused), then
 * history, param sample and intermediate curves in parallel.
 */
export async function buildStudySummary(
  db: Db,
  study: Study,
  caches: { samples: ParamSampleCache; settled: SettledSummaryCache },
): Promise<StudySummaryReply> {
  const started = performance.now();
  const { counts, maxNumber } = await countTrials(db, study.id);
  const version = settledVersion(study, counts, maxNumber);
  const cached = version === null ? null : caches.settled.get(study.id, version);
  if (cached) return { ...cached, computedMs: Math.round((performance.now() - started) * 10) / 10 };
  const summary = await computeSummary(db, study, caches.samples, counts, maxNumber, started);
  if (version !== null) caches.settled.set(study.id, version, summary);
  return summary;
}

async function computeSummary(
  db: Db,
  study: Study,
  samples: ParamSampleCache,
  counts: TrialCounts,
  maxNumber: number | null,
  started: number,
): Promise<StudySummaryReply> {
  const definition = readStudyDefinition(study.definition);
  const { direction, metric } = definition.objective;
  const finished = counts.complete + counts.pruned + counts.failed;
  const [history, sample, curves, best] = await Promise.all([
    loadHistorySummary(db, study.id, direction, finished, maxNumber ?? 0),
    samples.get(db, study.id, direction, counts.complete),
    loadIntermediateCurves(db, study.id, direction, finished),
    db.trial.findFirst({
      where: { studyId: study.id, state: "complete", value: { not: null } },
      orderBy: [{ value: direction === "minimize" ? "asc" : "desc" }, { number: "asc" }],
      select: { number: true, value: true, params: true },
    }),
  ]);
  const spread = sample.rows.filter((row) => row.spread);
  const plotted = pickPlotSample(sample.rows, direction, plotSampleLimit);
  return {
    studyId: study.id,
    objective: { metric, direction },
    counts,
    best:
      best && best.value !== null
        ? { number: best.number, value: best.value, params: readParams(best.params) }
        : null,
    maxNumber,
    history: { points: historyColumns(history.points), finished: history.finished, sampled: history.sampled },
    bestSoFar: history.bestSoFar,
    params: summarizeParams(definition.space, spread),
    distributionTrials: spread.length,
    sample: {
      trials: {
        number: plotted.map((row) => row.number),
        value: plotted.map((row) => row.value),
        params: Object.fromEntries(
          definition.space.map((spec) => [spec.name, plotted.map((row) => row.params[spec.name] ?? null)]),
        ),
      },
      complete: counts.complete,
    },
    intermediate: { curves },
    metrics: metricNamesOf(sample.rows),
    computedMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
