import { HpoError } from "@hpo/core";
import { abandonTrial, databaseNow } from "@hpo/db";
import type { SchedulerDeps } from "./scheduler-deps.js";

export interface StaleTrialOutcome {
  trialId: string;
  studyId: string;
  /** "abandoned" (retried as `retryId`) or "failed" (its point used up maxRetries). */
  state: string;
  retryId: string | null;
}

/**
 * A `running` trial whose last heartbeat is older than the grace period lost its worker (killed,
 * partitioned, frozen). It becomes `abandoned` and its point is retried as a new waiting trial, up to
 * the study's maxRetries, then `failed` with the reason (Optuna's fail_stale_trials +
 * RetryHeartbeatStaleTrialCallback). The heartbeat check is repeated inside the
 * fenced update, so a heartbeat that lands meanwhile wins and two reconcilers never both retry a trial.
 */
export async function reconcileStaleTrials(
  deps: SchedulerDeps,
  graceMs: number,
  limit = 200,
): Promise<StaleTrialOutcome[]> {
  // Heartbeats are stamped with the database's clock, so staleness is judged on it too: a scheduler whose
  // clock is off by minutes still abandons exactly the trials that have been silent for `graceMs`.
  const dbNow = await databaseNow(deps.prisma);
  const staleBefore = new Date(dbNow.getTime() - graceMs);
  const stale = await deps.prisma.trial.findMany({
    where: { state: "running", OR: [{ heartbeatAt: { lt: staleBefore } }, { heartbeatAt: null }] },
    select: { id: true, studyId: true, heartbeatAt: true, startedAt: true },
    orderBy: { heartbeatAt: "asc" },
    take: limit,
  });
  const outcomes: StaleTrialOutcome[] = [];
  for (const trial of stale) {
    const last = trial.heartbeatAt ?? trial.startedAt;
    if (last && last >= staleBefore) continue;
    const seconds = Math.round((dbNow.getTime() - (last?.getTime() ?? 0)) / 1000);
    try {
      const outcome = await abandonTrial(deps.prisma, trial.id, {
        reason: `heartbeat lost: no heartbeat for ${seconds} s (grace ${Math.round(graceMs / 1000)} s)`,
        staleBefore,
        now: dbNow,
      });
      outcomes.push({
        trialId: trial.id,
        studyId: trial.studyId,
        state: outcome.trial.state,
        retryId: outcome.retry?.id ?? null,
      });
      deps.logger.warn("stale trial reclaimed", {
        trialId: trial.id,
        studyId: trial.studyId,
        state: outcome.trial.state,
        retryNumber: outcome.retry?.number,
      });
      await deps
        .publish({
          type: "trial.updated",
          studyId: trial.studyId,
          trialId: trial.id,
          state: outcome.trial.state,
        })
        .catch(() => undefined);
    } catch (error) {
      // lease_conflict: a heartbeat arrived, the worker finished, or another scheduler got there first.
      if (error instanceof HpoError && (error.code === "lease_conflict" || error.code === "not_found"))
        continue;
      throw error;
    }
  }
  return outcomes;
}
