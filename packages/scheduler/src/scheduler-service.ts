import { subscribeStudyEvents, type StudyEventSubscription } from "@hpo/queue";
import { cancelEndedStudies } from "./cancel-ended-studies.js";
import { fillStudy } from "./fill-study.js";
import { reconcileStaleTrials } from "./reconcile-stale-trials.js";
import { repairTrialQueue } from "./repair-trial-queue.js";
import type { SchedulerDeps } from "./scheduler-deps.js";
import { StudyCoalescer } from "./study-coalescer.js";

export interface SchedulerServiceOptions {
  deps: SchedulerDeps;
  /** Subscribe to `<redisPrefix>:events` to react at once; the periodic sweep catches anything missed. */
  events?: { redisUrl: string; redisPrefix: string };
  sweepIntervalMs: number;
  /** A running trial without a heartbeat for this long is abandoned and retried. */
  heartbeatGraceMs: number;
}

export interface SchedulerService {
  /** One full pass: reconcile stale trials, cancel ended studies, fill running studies, repair the queue. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The scheduler loop. Stateless by design: every pass reads Postgres, so any number of schedulers can
 * run side by side or restart at any moment (design invariant 5).
 */
export async function startSchedulerService(options: SchedulerServiceOptions): Promise<SchedulerService> {
  const { deps } = options;
  const coalescer = new StudyCoalescer(
    async (studyId) => {
      await fillStudy(deps, studyId);
    },
    (studyId, error) => deps.logger.error("study pass failed", { studyId, error: String(error) }),
  );

  let sweeping: Promise<void> | null = null;
  let stopped = false;
  const sweep = (): Promise<void> => {
    sweeping ??= (async () => {
      try {
        const reclaimed = await reconcileStaleTrials(deps, options.heartbeatGraceMs);
        for (const outcome of reclaimed) void coalescer.request(outcome.studyId);
        await cancelEndedStudies(deps);
        const running = await deps.prisma.study.findMany({
          where: { state: "running", deletedAt: null },
          select: { id: true },
        });
        await Promise.all(running.map((study) => coalescer.request(study.id)));
        await repairTrialQueue(deps);
      } catch (error) {
        deps.logger.error("sweep failed", { error: String(error) });
      } finally {
        sweeping = null;
      }
    })();
    return sweeping;
  };

  let subscription: StudyEventSubscription | null = null;
  if (options.events) {
    subscription = await subscribeStudyEvents(
      options.events.redisUrl,
      options.events.redisPrefix,
      (event) => {
        // Reports change no slot count; reacting to each would cost a query per epoch of every trial.
        if (stopped || event.type === "trial.reported") return;
        if (event.type === "study.updated" && (event.state === "stopped" || event.state === "completed")) {
          void cancelEndedStudies(deps).catch((error: unknown) =>
            deps.logger.error("cancel failed", { error: String(error) }),
          );
        }
        void coalescer.request(event.studyId);
      },
    );
  }

  const timer = setInterval(() => {
    if (!stopped) void sweep();
  }, options.sweepIntervalMs);
  void sweep();
  deps.logger.info("scheduler started", {
    sweepIntervalMs: options.sweepIntervalMs,
    heartbeatGraceMs: options.heartbeatGraceMs,
  });

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await subscription?.close();
      await sweeping;
      await coalescer.idle();
    },
  };
}
