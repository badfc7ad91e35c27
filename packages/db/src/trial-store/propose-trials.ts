import { randomUUID } from "node:crypto";
import { createSampler, HpoError, type JsonValue } from "@hpo/core";
import { Prisma, type PrismaClient, type Trial } from "../generated/prisma/client.js";
import { loadHistory } from "./load-history.js";
import { readStudyDefinition } from "./study-config.js";
import { lockStudy, nextTrialNumber, type Db } from "./study-lock.js";

export interface ProposeOptions {
  /**
   * "queue" (default): the trials become `queued`, for the scheduler to put on BullMQ (a crash before the
   * job exists is repaired by the reconciler). "lease": they become `running` with a fresh lease token,
   * for `POST /v1/studies/:id/ask`.
   */
  mode?: "queue" | "lease";
  workerId?: string | null;
  now?: Date;
}

export type ProposeLimit = "none" | "not_running" | "parallelism" | "max_trials" | "exhausted";

export interface ProposeResult {
  /** Waiting trials served first (manual ones, retries), then newly sampled ones; in number order. */
  trials: Trial[];
  /** Why fewer than `count` trials came back ("none" when all did). */
  limitedBy: ProposeLimit;
  /** The sampler has nothing left to propose (grid): with nothing pending the study is done. */
  exhausted: boolean;
}

interface Plan {
  serve: string[];
  sampleCount: number;
  firstNumber: number;
  limitedBy: ProposeLimit;
}

interface Counts {
  active: number;
  nonAbandoned: number;
  waiting: { id: string; number: number }[];
  firstNumber: number;
}

const maxOptimisticAttempts = 5;

async function countTrials(db: Db, studyId: string): Promise<Counts> {
  // Sequential on purpose: inside an interactive transaction all queries share one connection.
  const groups = await db.trial.groupBy({ by: ["state"], where: { studyId }, _count: { _all: true } });
  const waiting = await db.trial.findMany({
    where: { studyId, state: "waiting" },
    orderBy: { number: "asc" },
    select: { id: true, number: true },
  });
  const firstNumber = await nextTrialNumber(db, studyId);
  let active = 0;
  let nonAbandoned = 0;
  for (const group of groups) {
    if (group.state === "queued" || group.state === "running") active += group._count._all;
    if (group.state !== "abandoned") nonAbandoned += group._count._all;
  }
  return { active, nonAbandoned, waiting, firstNumber };
}

/**
 * Pure arithmetic of one proposal: free slots = parallelism - (queued + running); waiting trials are
 * served first; new points only while non-abandoned trials stay under maxTrials (an abandoned trial's
 * retry replaces it, so it is not counted twice).
 */
function planProposal(
  counts: Counts,
  budget: { maxTrials: number; parallelism: number },
  count: number,
): Plan {
  const free = Math.max(0, budget.parallelism - counts.active);
  const take = Math.min(count, free);
  const serve = counts.waiting.slice(0, take).map((trial) => trial.id);
  const room = Math.max(0, budget.maxTrials - counts.nonAbandoned);
  const sampleCount = Math.min(take - serve.length, room);
  let limitedBy: ProposeLimit = "none";
  if (take < count) limitedBy = "parallelism";
  else if (serve.length + sampleCount < count) limitedBy = "max_trials";
  return { serve, sampleCount, firstNumber: counts.firstNumber, limitedBy };
}

function samePlan(a: Plan, b: Plan): boolean {
  return (
    a.sampleCount === b.sampleCount &&
    a.firstNumber === b.firstNumber &&
    a.serve.length === b.serve.length &&
    a.serve.every((id, index) => b.serve[index] === id)
  );
}

function startData(mode: "queue" | "lease", now: Date, workerId: string | null) {
  return mode === "queue"
    ? { state: "queued" as const, queuedAt: now }
    : {
        state: "running" as const,
        leaseToken: randomUUID(),
        startedAt: now,
        heartbeatAt: now,
        workerId,
      };
}

/**
 * Proposes up to `count` trials for a running study and starts them (queued or leased).
 *
 * The expensive part (the sampler's model fit) runs outside any lock on a snapshot; the short locked
 * transaction then re-counts and commits only if nothing moved meanwhile (same sampler version, same
 * next number, same waiting trials), else the whole proposal is redone. This keeps the GP/TPE fit out of
 * the critical section (reliability.md §3.1) while numbering stays serialized and the sampler state is
 * written with compare-and-swap on samplerVersion.
 */
export async function proposeTrials(
  prisma: PrismaClient,
  studyId: string,
  count: number,
  options: ProposeOptions = {},
): Promise<ProposeResult> {
  const mode = options.mode ?? "queue";
  for (let attempt = 0; attempt < maxOptimisticAttempts; attempt++) {
    const study = await prisma.study.findUnique({ where: { id: studyId } });
    if (!study) throw new HpoError("not_found", "Study not found", { status: 404 });
    if (study.state !== "running") return { trials: [], limitedBy: "not_running", exhausted: false };
    const definition = readStudyDefinition(study.definition);
    const budget = { maxTrials: definition.budget.maxTrials, parallelism: definition.budget.parallelism };
    const [history, counts] = await Promise.all([loadHistory(prisma, studyId), countTrials(prisma, studyId)]);
    const plan = planProposal(counts, budget, count);

    let suggestions: { params: JsonValue; origin: string }[] = [];
    let samplerState: JsonValue | null = null;
    let exhausted = false;
    if (plan.sampleCount > 0) {
      const result = createSampler(definition.sampler, definition.space).sample({
        space: definition.space,
        direction: definition.objective.direction,
        trials: history,
        count: plan.sampleCount,
        seed: definition.seed,
        firstNumber: plan.firstNumber,
        state: (study.samplerState ?? null) as JsonValue | null,
        budget,
      });
      suggestions = result.suggestions.map((params) => ({ params, origin: result.origin }));
      samplerState = result.state;
      exhausted = result.exhausted;
    }

    const now = options.now ?? new Date();
    const committed = await prisma.$transaction(
      async (tx) => {
        await lockStudy(tx, studyId);
        const fresh = await tx.study.findUnique({
          where: { id: studyId },
          select: { state: true, samplerVersion: true },
        });
        if (!fresh || fresh.state !== "running") return "retry" as const;
        if (fresh.samplerVersion !== study.samplerVersion) return "retry" as const;
        if (!samePlan(plan, planProposal(await countTrials(tx, studyId), budget, count)))
          return "retry" as const;

        const data = () => startData(mode, now, options.workerId ?? null);
        const started: Trial[] = [];
        for (const id of plan.serve) started.push(await tx.trial.update({ where: { id }, data: data() }));
        for (const [index, suggestion] of suggestions.entries()) {
          started.push(
            await tx.trial.create({
              data: {
                studyId,
                number: plan.firstNumber + index,
                params: suggestion.params as Prisma.InputJsonValue,
                origin: suggestion.origin,
                ...data(),
              },
            }),
          );
        }
        if (plan.sampleCount > 0) {
          const cas = await tx.study.updateMany({
            where: { id: studyId, samplerVersion: study.samplerVersion },
            data: {
              samplerState: samplerState === null ? Prisma.DbNull : (samplerState as Prisma.InputJsonValue),
              samplerVersion: { increment: 1 },
            },
          });
          if (cas.count !== 1) return "retry" as const;
        }
        return started.sort((a, b) => a.number - b.number);
      },
      { maxWait: 5_000, timeout: 15_000 },
    );
    if (committed === "retry") continue;
    let limitedBy = plan.limitedBy;
    if (exhausted && suggestions.length < plan.sampleCount) limitedBy = "exhausted";
    return { trials: committed, limitedBy, exhausted };
  }
  throw new HpoError("propose_conflict", "The study changed while proposing trials; try again", {
    retryable: true,
    status: 409,
  });
}
