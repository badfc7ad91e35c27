import { finishedTrialStates, pendingTrialStates, type StudyDefinition } from "@hpo/contracts";
import type { Prisma } from "../generated/prisma/client.js";
import { cancelPendingTrials } from "./cancel-pending-trials.js";
import { nextTrialNumber, type Db } from "./study-lock.js";
import { readStudyTrialCounts } from "./study-trial-counts.js";

export type SettleReason = "max_trials" | "target_value";

function reachesTarget(definition: StudyDefinition, value: number | null): boolean {
  const target = definition.budget.targetValue;
  if (target === undefined || value === null) return false;
  return definition.objective.direction === "minimize" ? value <= target : value >= target;
}

/**
 * Whether this finish can complete the study, without the lock: a usable value that reaches the target,
 * or a study whose trials (numbered densely from 0, so at most max(number) + 1 of them) could already
 * spend maxTrials. Far from the budget this is one index-only read and the tell takes no study lock.
 */
export async function mayCompleteStudy(
  db: Db,
  studyId: string,
  definition: StudyDefinition,
  finished: { state: string; value: number | null; feasible?: boolean | null },
): Promise<boolean> {
  const usable = finished.state === "complete" && finished.feasible !== false;
  if (usable && reachesTarget(definition, finished.value)) return true;
  return (await nextTrialNumber(db, studyId)) >= definition.budget.maxTrials;
}

/**
 * Marks a running study `completed` once its budget is spent (maxTrials finished, nothing pending) or a
 * complete trial reached `targetValue` (pending trials are then cancelled; running ones are told to stop
 * through their next heartbeat). Must run under the study lock. Returns why, or null when still running.
 */
export async function settleStudyAfterFinish(
  tx: Prisma.TransactionClient,
  studyId: string,
  definition: StudyDefinition,
  finished: { state: string; value: number | null; feasible?: boolean | null },
  now: Date,
): Promise<SettleReason | null> {
  const study = await tx.study.findUnique({ where: { id: studyId }, select: { state: true } });
  if (study?.state !== "running") return null;
  let reason: SettleReason | null = null;
  // Only a feasible trial can end the study early: an infeasible one is not a result the user can use.
  const usable = finished.state === "complete" && finished.feasible !== false;
  if (usable && reachesTarget(definition, finished.value)) {
    reason = "target_value";
  } else {
    // The running counts (study-trial-counts.ts): near the budget of a big study, counting its trials
    // read most of it on every settling tell.
    const counts = await readStudyTrialCounts(tx, studyId);
    const done = finishedTrialStates.reduce((sum, state) => sum + counts[state], 0);
    const pending = pendingTrialStates.reduce((sum, state) => sum + counts[state], 0);
    if (pending === 0 && done >= definition.budget.maxTrials) reason = "max_trials";
  }
  if (reason === null) return null;
  await tx.study.update({
    where: { id: studyId },
    data: { state: "completed", stateReason: reason, finishedAt: now },
  });
  await cancelPendingTrials(tx, studyId, `cancelled: study completed (${reason})`, now);
  return reason;
}
