import { HpoError, resolveTrialResult } from "@hpo/core";
import { Prisma, type PrismaClient, type Trial } from "../generated/prisma/client.js";
import { databaseNow } from "./database-clock.js";
import { isIdenticalFinish } from "./finish-repeat.js";
import { throwFenceFailure } from "./lease-fence.js";
import { readStudyDefinition } from "./study-config.js";
import { withStudyLock } from "./study-lock.js";
import { mayCompleteStudy, settleStudyAfterFinish, type SettleReason } from "./settle-study.js";

export type FinalTrialState = "complete" | "failed" | "pruned";

export interface FinishInput {
  leaseToken: string;
  state: FinalTrialState;
  value?: number | null;
  /** One value per objective (several objectives); otherwise read from value or the metrics. */
  values?: readonly number[] | null;
  metrics?: Record<string, number> | null;
  error?: string | null;
  backend?: string | null;
  gpu?: string | null;
  diagnostics?: unknown;
  now?: Date;
}

export interface FinishOutcome {
  trial: Trial;
  /** Set when this result completed the study. */
  studyCompleted: SettleReason | null;
  /** An identical repeat of the tell that already finished the trial: nothing was written. */
  repeated: boolean;
}

/** The trial's study as the caller already read it (the API's route found the trial with its study). */
export interface FinishStudy {
  studyId: string;
  definition: unknown;
}

/**
 * The final, lease-fenced write of a trial (tell). For `complete`, value defaults to
 * metrics[objective.metric]; for `pruned`, to the last reported value (as Optuna does).
 * A stale tell, or a different second one, matches no row and gets lease_conflict: the first result
 * stands. An identical repeat (same lease token and result: a client retrying after a lost response)
 * gets the stored trial back, so a retry is never mistaken for a failure and never writes twice.
 *
 * The fenced UPDATE … RETURNING is one statement and takes no study lock: the trial row's lock orders it
 * against a racing tell, reclaim or release, as for claim and report. Only settling the study (budget
 * spent, target reached) takes the study lock, and only when it can happen (settle-study.ts,
 * mayCompleteStudy). Before: 10 statements, all under the study lock.
 */
export async function finishTrial(
  prisma: PrismaClient,
  trialId: string,
  input: FinishInput,
  known?: FinishStudy,
): Promise<FinishOutcome> {
  const found = known ?? (await findStudyOf(prisma, trialId));
  const definition = readStudyDefinition(found.definition);
  const resolved = resolveTrialResult(definition, input);
  if (!resolved.ok) {
    const first = resolved.issues[0];
    throw new HpoError("validation_failed", first?.message ?? "Incomplete result", {
      status: 400,
      details: { issues: resolved.issues.map((issue) => ({ in: "body", ...issue })) },
    });
  }
  const { values, constraintViolations, feasible } = resolved.result;
  let value = resolved.result.value;
  const now = input.now ?? (await databaseNow(prisma));
  if (input.state === "pruned" && value === null) {
    const last = await prisma.trialReport.findFirst({ where: { trialId }, orderBy: { step: "desc" } });
    value = last?.value ?? null;
  }
  const data: Prisma.TrialUpdateInput = {
    state: input.state,
    value,
    // `{ set }`, not a bare array: Prisma leaves a bare scalar list's values in its query plan cache key,
    // so each tell compiled a plan of its own and filled the cache (packages/db/src/client/hot-path-query-plans.int.test.ts).
    values: { set: [...values] },
    constraintViolations: { set: [...constraintViolations] },
    feasible,
    finishedAt: now,
    heartbeatAt: now,
  };
  if (input.metrics) data.metrics = input.metrics;
  if (input.error !== undefined) data.error = input.error;
  if (input.backend !== undefined) data.backend = input.backend;
  if (input.gpu !== undefined) data.gpu = input.gpu;
  if (input.diagnostics !== undefined && input.diagnostics !== null) {
    data.diagnostics = input.diagnostics;
  }
  const trial = await prisma.trial
    .update({ where: { id: trialId, state: "running", leaseToken: input.leaseToken }, data })
    .catch((error: unknown) => {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") return null;
      throw error;
    });
  if (!trial) {
    const stored = await prisma.trial.findUnique({ where: { id: trialId } });
    if (stored && isIdenticalFinish(stored, { ...input, value, values })) {
      return { trial: stored, studyCompleted: null, repeated: true };
    }
    return throwFenceFailure(prisma, trialId);
  }
  const finished = { state: input.state, value, feasible };
  // Checked after the update committed: a trial created meanwhile is either seen here (and this tell
  // settles) or was created after this commit, so its own tell counts this trial as finished.
  if (!(await mayCompleteStudy(prisma, trial.studyId, definition, finished))) {
    return { trial, studyCompleted: null, repeated: false };
  }
  const studyCompleted = await withStudyLock(prisma, trial.studyId, (tx) =>
    settleStudyAfterFinish(tx, trial.studyId, definition, finished, now),
  );
  return { trial, studyCompleted, repeated: false };
}

async function findStudyOf(prisma: PrismaClient, trialId: string): Promise<FinishStudy> {
  const found = await prisma.trial.findUnique({
    where: { id: trialId },
    select: { studyId: true, study: { select: { definition: true } } },
  });
  if (!found) throw new HpoError("not_found", "Trial not found", { status: 404 });
  return { studyId: found.studyId, definition: found.study.definition };
}
