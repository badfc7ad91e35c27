import { cancelPendingTrials, withStudyLock } from "@hpo/db";
import type { SchedulerDeps } from "./scheduler-deps.js";

export type EndReason = "max_duration" | "exhausted" | "max_trials" | "target_value";

/**
 * Marks a running study `completed` with the reason and cancels the trials no worker holds yet; running
 * trials learn it from their next heartbeat (`stop: true`). Under the study lock, so a concurrent
 * proposal never adds trials to a study that has just ended. Returns false if it was no longer running.
 */
export async function completeStudy(
  deps: SchedulerDeps,
  studyId: string,
  reason: EndReason,
): Promise<boolean> {
  const now = deps.now();
  // The study's name when this call ended it (for the log line, like the API's), else null.
  const ended = await withStudyLock(deps.prisma, studyId, async (tx) => {
    const { count } = await tx.study.updateMany({
      where: { id: studyId, state: "running" },
      data: { state: "completed", stateReason: reason, finishedAt: now },
    });
    if (count !== 1) return null;
    await cancelPendingTrials(tx, studyId, `cancelled: study completed (${reason})`, now);
    const study = await tx.study.findUnique({ where: { id: studyId }, select: { name: true } });
    return study?.name ?? "";
  });
  if (ended !== null) {
    deps.logger.info("study completed", { study: ended, studyId, reason });
    await deps.publish({ type: "study.updated", studyId, state: "completed" }).catch(() => undefined);
  }
  return ended !== null;
}

/** True once a study has run for its `maxDurationSeconds` (counted from its start). */
export function isPastMaxDuration(
  startedAt: Date,
  maxDurationSeconds: number | undefined,
  now: Date,
): boolean {
  return maxDurationSeconds !== undefined && now.getTime() - startedAt.getTime() >= maxDurationSeconds * 1000;
}
