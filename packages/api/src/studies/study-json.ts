import type { PrismaClient, Study, TrialState } from "@hpo/db";
import { trialStates } from "../trials/trial-list-params.js";

export type TrialCounts = Record<TrialState, number> & { total: number };

export interface BestTrialJson {
  id: string;
  number: number;
  value: number | null;
  params: unknown;
}

export interface StudyJson {
  id: string;
  name: string;
  state: string;
  stateReason: string | null;
  definition: unknown;
  counts: TrialCounts;
  best: BestTrialJson | null;
  progress: { finished: number; maxTrials: number; fraction: number };
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

function emptyCounts(): TrialCounts {
  const counts = { total: 0 } as TrialCounts;
  for (const state of trialStates) counts[state] = 0;
  return counts;
}

function directionOf(definition: unknown): "minimize" | "maximize" {
  const objective = (definition as { objective?: { direction?: unknown } } | null)?.objective;
  return objective?.direction === "maximize" ? "maximize" : "minimize";
}

function maxTrialsOf(definition: unknown): number {
  const budget = (definition as { budget?: { maxTrials?: unknown } } | null)?.budget;
  return typeof budget?.maxTrials === "number" ? budget.maxTrials : 0;
}

/** Study JSON for a page of studies: counts by state in one query, the best trial per study. */
export async function toStudyJsonList(prisma: PrismaClient, studies: readonly Study[]): Promise<StudyJson[]> {
  if (studies.length === 0) return [];
  const groups = await prisma.trial.groupBy({
    by: ["studyId", "state"],
    where: { studyId: { in: studies.map((study) => study.id) } },
    _count: { _all: true },
  });
  const countsById = new Map<string, TrialCounts>();
  for (const group of groups) {
    const counts = countsById.get(group.studyId) ?? emptyCounts();
    counts[group.state] += group._count._all;
    counts.total += group._count._all;
    countsById.set(group.studyId, counts);
  }
  return Promise.all(
    studies.map(async (study) => {
      const best = await prisma.trial.findFirst({
        where: { studyId: study.id, state: "complete", value: { not: null } },
        orderBy: [
          { value: directionOf(study.definition) === "minimize" ? "asc" : "desc" },
          { number: "asc" },
        ],
        select: { id: true, number: true, value: true, params: true },
      });
      const counts = countsById.get(study.id) ?? emptyCounts();
      const finished = counts.complete + counts.pruned + counts.failed;
      const maxTrials = maxTrialsOf(study.definition);
      return {
        id: study.id,
        name: study.name,
        state: study.state,
        stateReason: study.stateReason,
        definition: study.definition,
        counts,
        best,
        progress: { finished, maxTrials, fraction: maxTrials > 0 ? Math.min(1, finished / maxTrials) : 0 },
        createdAt: study.createdAt.toISOString(),
        updatedAt: study.updatedAt.toISOString(),
        finishedAt: study.finishedAt?.toISOString() ?? null,
      };
    }),
  );
}

export async function toStudyJson(prisma: PrismaClient, study: Study): Promise<StudyJson> {
  const [json] = await toStudyJsonList(prisma, [study]);
  if (!json) throw new Error("unreachable: one study in, one out");
  return json;
}
