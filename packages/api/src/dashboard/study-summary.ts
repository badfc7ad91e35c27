import { performance } from "node:perf_hooks";
import { emptyTrialCounts, type StudySummaryReply, type TrialCounts } from "@hpo/contracts";
import { readParams, readStudyDefinition, type PrismaClient, type Study } from "@hpo/db";
import { historyColumns, loadHistorySummary } from "./history-summary.js";
import { loadIntermediateCurves } from "./intermediate-curves.js";
import { summarizeParams } from "./param-distributions.js";
import { metricNamesOf, pickPlotSample } from "./param-sample.js";
import type { ParamSampleCache } from "./param-sample-cache.js";

/** Trials drawn on parallel coordinates and slice plots. */
export const plotSampleLimit = 1_000;

async function countTrials(
  prisma: PrismaClient,
  studyId: string,
): Promise<{ counts: TrialCounts; maxNumber: number | null }> {
  const [groups, last] = await Promise.all([
    prisma.trial.groupBy({ by: ["state"], where: { studyId }, _count: { _all: true } }),
    prisma.trial.findFirst({ where: { studyId }, orderBy: { number: "desc" }, select: { number: true } }),
  ]);
  const counts = emptyTrialCounts();
  for (const group of groups) {
    counts[group.state] += group._count._all;
    counts.total += group._count._all;
  }
  return { counts, maxNumber: last?.number ?? null };
}

/**
 * GET /v1/studies/:id/summary: the study page's data in one answer of bounded size, whatever the number of
 * trials. Counts first (they size the rest), then history, param sample and intermediate curves in parallel.
 */
export async function buildStudySummary(
  prisma: PrismaClient,
  study: Study,
  samples: ParamSampleCache,
): Promise<StudySummaryReply> {
  const started = performance.now();
  const definition = readStudyDefinition(study.definition);
  const { direction, metric } = definition.objective;
  const { counts, maxNumber } = await countTrials(prisma, study.id);
  const finished = counts.complete + counts.pruned + counts.failed;
  const [history, sample, curves, best] = await Promise.all([
    loadHistorySummary(prisma, study.id, direction, finished, maxNumber ?? 0),
    samples.get(prisma, study.id, direction, counts.complete),
    loadIntermediateCurves(prisma, study.id, direction, finished),
    prisma.trial.findFirst({
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
