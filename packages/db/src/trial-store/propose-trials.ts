import { randomUUID } from "node:crypto";
import { uncountedTrialStates } from "@hpo/contracts";
import type { StudyDefinition } from "@hpo/contracts";
import {
  createSampler,
  HpoError,
  historyWindowFor,
  type JsonValue,
  type SampleRequest,
  type SampleResult,
} from "@hpo/core";
import { Prisma, type PrismaClient, type Trial } from "../generated/prisma/client.js";
import { databaseNow } from "./database-clock.js";
import { loadHistory, loadHistoryWindow } from "./load-history.js";
import { loadWarmStartTrials } from "./load-warm-start.js";
import { readStudyDefinition } from "./study-config.js";
import { lockStudy, type Db } from "./study-lock.js";
import { readStudyOccupancy } from "./study-occupancy.js";
import {
  insertProposedTrials,
  readProposalStudy,
  swapSamplerState,
  type StartMode,
} from "./proposal-statements.js";
import { readStudyTrialCounts } from "./study-trial-counts.js";

export interface ProposeOptions {
  /**
   * "queue" (default): the trials become `queued`, for the scheduler to put on BullMQ (a crash before the
   * job exists is repaired by the reconciler). "lease": they become `running` with a fresh lease token,
   * for `POST /v1/studies/:id/ask`.
   */
  mode?: "queue" | "lease";
  workerId?: string | null;
  now?: Date;
  /**
   * Runs the sampler. Default: here, synchronously. The API passes a worker-thread pool so that a GP fit
   * (about 100 ms) never blocks its event loop (packages/api/src/sampling/sampler-pool.ts).
   */
  sample?: SampleFunction;
  /**
   * The caller's project (an ask): a study of another project is a 404, checked in the proposal's own
   * read of the study instead of a lookup before it.
   */
  projectId?: string;
}

/** One sampler call: the study's sampler config and the request it answers. */
export interface SampleCall {
  sampler: StudyDefinition["sampler"];
  request: SampleRequest;
}

export type SampleFunction = (call: SampleCall) => Promise<SampleResult>;

/** Runs a sampler call in this thread. */
export function sampleInline(call: SampleCall): Promise<SampleResult> {
  return Promise.resolve(createSampler(call.sampler, call.request.space).sample(call.request));
}

/**
 * Samplers whose proposals do not depend on the history (a seeded sequence indexed by trial number):
 * an ask need not read 100,000 trials to draw a random point. history-free-samplers.test.ts holds them to it.
 */
export const historyFreeSamplers: ReadonlySet<string> = new Set(["random", "sobol"]);

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
  /**
   * Trials that spend the maxTrials budget (not abandoned attempts, not cancelled ones); null when not
   * counted because the study is far from maxTrials (see countTrials).
   */
  counted: number | null;
  waiting: { id: string; number: number }[];
  firstNumber: number;
}

const optimisticAttempts = 2;
const transactionOptions = { maxWait: 10_000, timeout: 30_000 };

/**
 * The state a proposal plans from (study-occupancy.ts: no GROUP BY over the study). The budget count is
 * only needed near maxTrials: a study holds at most `nextNumber` trials, so while
 * `nextNumber + count <= maxTrials` every proposal fits the budget.
 */
async function countTrials(db: Db, studyId: string, maxTrials: number, count: number): Promise<Counts> {
  const occupancy = await readStudyOccupancy(db, studyId);
  let counted: number | null = null;
  if (occupancy.nextNumber + count > maxTrials) {
    const counts = await readStudyTrialCounts(db, studyId);
    counted = uncountedTrialStates.reduce((sum, state) => sum - counts[state], counts.total);
  }
  return {
    active: occupancy.active,
    counted,
    waiting: occupancy.waiting,
    firstNumber: occupancy.nextNumber,
  };
}

/**
 * Pure arithmetic of one proposal: free slots = parallelism - (queued + running); waiting trials are
 * served first; new points only while counted trials stay under maxTrials (an abandoned trial's retry
 * replaces it, so it is not counted twice; a cancelled one never ran).
 */
function planProposal(
  counts: Counts,
  budget: { maxTrials: number; parallelism: number },
  count: number,
): Plan {
  const free = Math.max(0, budget.parallelism - counts.active);
  const take = Math.min(count, free);
  const serve = counts.waiting.slice(0, take).map((trial) => trial.id);
  const room = counts.counted === null ? count : Math.max(0, budget.maxTrials - counts.counted);
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

type ProposalStart = Parameters<typeof insertProposedTrials>[4];

function startData(mode: StartMode, now: Date, workerId: string | null) {
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

interface Prepared {
  samplerVersion: number;
  budget: { maxTrials: number; parallelism: number };
  plan: Plan;
  suggestions: { params: JsonValue; origin: string }[];
  samplerState: JsonValue | null;
  exhausted: boolean;
}

/** Reads the study and its history and runs the sampler: the slow part, no lock needed. */
async function prepareProposal(
  db: Db,
  studyId: string,
  count: number,
  sample: SampleFunction,
  projectId: string | undefined,
): Promise<Prepared | ProposeResult> {
  const study = await readProposalStudy(db, studyId, projectId);
  if (!study) throw new HpoError("not_found", "Study not found", { status: 404 });
  if (study.state !== "running") return { trials: [], limitedBy: "not_running", exhausted: false };
  const definition = readStudyDefinition(study.definition);
  rememberSamplerType(studyId, definition.sampler.type);
  const budget = { maxTrials: definition.budget.maxTrials, parallelism: definition.budget.parallelism };
  const plan = planProposal(await countTrials(db, studyId, budget.maxTrials, count), budget, count);
  const prepared: Prepared = {
    samplerVersion: study.samplerVersion,
    budget,
    plan,
    suggestions: [],
    samplerState: null,
    exhausted: false,
  };
  if (plan.sampleCount > 0) {
    // Only read the history when the sampler will (and only when it samples at all).
    const historyFree = historyFreeSamplers.has(definition.sampler.type);
    const history = historyFree ? [] : await loadSamplerHistory(db, studyId, definition, plan.firstNumber);
    const priorTrials = historyFree ? [] : await loadWarmStartTrials(db, definition);
    const result = await sample({
      sampler: definition.sampler,
      request: {
        space: definition.space,
        direction: definition.objective.direction,
        directions: definition.objectives.map((objective) => objective.direction),
        constraintCount: definition.constraints.length,
        trials: history,
        count: plan.sampleCount,
        seed: definition.seed,
        firstNumber: plan.firstNumber,
        state: (study.samplerState ?? null) as JsonValue | null,
        budget,
        ...(priorTrials.length > 0 ? { priorTrials } : {}),
      },
    });
    prepared.suggestions = result.suggestions.map((params) => ({ params, origin: result.origin }));
    prepared.samplerState = result.state;
    prepared.exhausted = result.exhausted;
  }
  return prepared;
}

/**
 * The history the study's sampler reads: TPE and the GP read a bounded window of a long history (core's
 * sampler-history-window.ts), every other sampler the whole of it. `trialCount` bounds the study's size
 * (numbers are dense from 0), so a short history is read whole without counting it.
 */
async function loadSamplerHistory(
  db: Db,
  studyId: string,
  definition: StudyDefinition,
  trialCount: number,
): Promise<SampleRequest["trials"]> {
  const window = historyWindowFor(definition);
  if (window === null || trialCount <= window.recent + window.best) {
    return loadHistory(db, studyId, definition.objectives);
  }
  return loadHistoryWindow(db, studyId, definition.objective.direction, window, definition.objectives);
}

/**
 * Under the study lock: commits the prepared proposal only if nothing moved since it was prepared (same
 * sampler version, same next number, same waiting trials), else answers "retry". `preparedUnderLock`:
 * prepared in this very transaction after the lock was taken, so nothing can have moved and the check
 * is skipped (the sampler state's compare-and-swap still runs).
 */
async function commitProposal(
  tx: Prisma.TransactionClient,
  studyId: string,
  count: number,
  prepared: Prepared,
  start: ProposalStart,
  preparedUnderLock: boolean,
): Promise<Trial[] | "retry"> {
  const { plan } = prepared;
  if (!preparedUnderLock) {
    const fresh = await readProposalStudy(tx, studyId);
    if (!fresh || fresh.state !== "running" || fresh.samplerVersion !== prepared.samplerVersion)
      return "retry";
    const counts = await countTrials(tx, studyId, prepared.budget.maxTrials, count);
    if (!samePlan(plan, planProposal(counts, prepared.budget, count))) return "retry";
  }
  const started: Trial[] = [];
  for (const id of plan.serve) {
    const data = startData(start.mode, start.now, start.workerId);
    started.push(await tx.trial.update({ where: { id }, data }));
  }
  if (prepared.suggestions.length > 0) {
    // One INSERT for the whole batch: the scheduler proposes a trial per free slot at once.
    started.push(...(await insertProposedTrials(tx, studyId, plan.firstNumber, prepared.suggestions, start)));
  }
  if (plan.sampleCount > 0) {
    if (!(await swapSamplerState(tx, studyId, prepared.samplerVersion, prepared.samplerState)))
      return "retry";
  }
  return started.sort((a, b) => a.number - b.number);
}

/**
 * Sampler type per study id, learned from the studies this process proposed for. A study's sampler never
 * changes (PATCH only edits the budget), so the entry never goes stale; the map is bounded by clearing.
 */
const knownSamplerTypes = new Map<string, string>();
const knownSamplerTypesLimit = 10_000;

function rememberSamplerType(studyId: string, type: string): void {
  if (knownSamplerTypes.size >= knownSamplerTypesLimit) knownSamplerTypes.clear();
  knownSamplerTypes.set(studyId, type);
}

function isPrepared(value: Prepared | ProposeResult): value is Prepared {
  return "plan" in value;
}

function resultOf(prepared: Prepared, trials: Trial[]): ProposeResult {
  let limitedBy = prepared.plan.limitedBy;
  if (prepared.exhausted && prepared.suggestions.length < prepared.plan.sampleCount) limitedBy = "exhausted";
  return { trials, limitedBy, exhausted: prepared.exhausted };
}

/**
 * Proposes up to `count` trials for a running study and starts them (queued or leased).
 *
 * Optimistic first: the expensive part (the sampler's model fit) runs outside any lock on a snapshot, and
 * a short locked transaction commits it only if nothing moved meanwhile. This keeps the GP/TPE fit out of
 * the critical section (a lock held across a model fit would serialize every ask of the study) while
 * numbering stays serialized and the sampler state is
 * written with compare-and-swap on samplerVersion. Under heavy contention (many concurrent asks on one
 * study) optimism can keep losing, so the last attempt holds the lock for the whole proposal: progress is
 * guaranteed, at the price of serializing the fit.
 */
export async function proposeTrials(
  prisma: PrismaClient,
  studyId: string,
  count: number,
  options: ProposeOptions = {},
): Promise<ProposeResult> {
  const mode = options.mode ?? "queue";
  // A leased trial's heartbeat is judged on the database's clock (see database-clock.ts).
  const now = options.now ?? (mode === "lease" ? await databaseNow(prisma) : new Date());
  const start: ProposalStart = { mode, now, workerId: options.workerId ?? null };
  const sample = options.sample ?? sampleInline;
  // A history-free sampler costs microseconds: sampling under the lock is cheaper than preparing outside
  // it and checking again inside, and concurrent asks on one study queue on the lock instead of retrying.
  const lockFirst = historyFreeSamplers.has(knownSamplerTypes.get(studyId) ?? "");
  for (let attempt = 0; attempt < (lockFirst ? 0 : optimisticAttempts); attempt++) {
    const prepared = await prepareProposal(prisma, studyId, count, sample, options.projectId);
    if (!isPrepared(prepared)) return prepared;
    const committed = await prisma.$transaction(async (tx) => {
      await lockStudy(tx, studyId);
      return commitProposal(tx, studyId, count, prepared, start, false);
    }, transactionOptions);
    if (committed !== "retry") return resultOf(prepared, committed);
  }
  return prisma.$transaction(async (tx) => {
    await lockStudy(tx, studyId);
    const prepared = await prepareProposal(tx, studyId, count, sample, options.projectId);
    if (!isPrepared(prepared)) return prepared;
    const committed = await commitProposal(tx, studyId, count, prepared, start, true);
    if (committed === "retry") {
      throw new HpoError("propose_conflict", "The study changed while proposing trials; try again", {
        retryable: true,
        status: 409,
      });
    }
    return resultOf(prepared, committed);
  }, transactionOptions);
}
