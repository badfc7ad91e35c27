import { unstartedTrialStates } from "@hpo/contracts";
import { cancelPendingTrials, withStudyLock } from "@hpo/db";
import type { SchedulerDeps } from "./scheduler-deps.js";

/**
 * A stopped (or completed) study keeps no trials waiting or queued: they end `cancelled` with the reason,
 * and their waiting jobs are dropped by the queue repair. Running trials are told to stop by the API
 * through their heartbeat. Idempotent, so the API's own cancellation and this sweep never conflict.
 */
export async function cancelEndedStudies(deps: SchedulerDeps): Promise<string[]> {
  const rows = await deps.prisma.trial.findMany({
    where: { state: { in: [...unstartedTrialStates] }, study: { state: { in: ["stopped", "completed"] } } },
    select: { studyId: true, study: { select: { state: true } } },
    distinct: ["studyId"],
    take: 100,
  });
  const cancelled: string[] = [];
  for (const row of rows) {
    const count = await withStudyLock(deps.prisma, row.studyId, (tx) =>
      cancelPendingTrials(tx, row.studyId, `cancelled: study ${row.study.state}`, deps.now()),
    );
    if (count > 0) {
      cancelled.push(row.studyId);
      deps.logger.info("cancelled pending trials of an ended study", { studyId: row.studyId, count });
      await deps
        .publish({ type: "study.updated", studyId: row.studyId, state: row.study.state })
        .catch(() => undefined);
    }
  }
  return cancelled;
}
