import { HpoError } from "@hpo/core";
import type { Prisma, PrismaClient, Trial } from "../generated/prisma/client.js";
import { throwFenceFailure } from "./lease-fence.js";
import { maxRetriesOf, readStudyDefinition } from "./study-config.js";
import { nextTrialNumber, withStudyLock } from "./study-lock.js";

export interface AbandonInput {
  reason: string;
  /** Fence for a worker handing its trial back (release). */
  leaseToken?: string;
  /** Fence for the reconciler: only abandon if the last heartbeat is older than this. */
  staleBefore?: Date;
  now?: Date;
}

export interface AbandonOutcome {
  /** The abandoned trial (or `failed`, when its point has used up maxRetries). */
  trial: Trial;
  /** The new `waiting` trial that retries the same point, if any. */
  retry: Trial | null;
}

/**
 * Takes a running trial away from its worker: released on shutdown, or its heartbeat went stale.
 * Its point is retried as a new trial (new number, attempt + 1, retryOf) that waits to be served before
 * any sampled point, up to the study's maxRetries; after that the trial is `failed` with the reason.
 */
export async function abandonTrial(
  prisma: PrismaClient,
  trialId: string,
  input: AbandonInput,
): Promise<AbandonOutcome> {
  const found = await prisma.trial.findUnique({ where: { id: trialId }, select: { studyId: true } });
  if (!found) throw new HpoError("not_found", "Trial not found", { status: 404 });
  const studyId = found.studyId;
  return withStudyLock(prisma, studyId, async (tx) => {
    const now = input.now ?? new Date();
    const trial = await tx.trial.findUnique({ where: { id: trialId }, include: { study: true } });
    if (!trial) throw new HpoError("not_found", "Trial not found", { status: 404 });
    const definition = readStudyDefinition(trial.study.definition);
    const retriesLeft = trial.attempt < maxRetriesOf(definition);
    const retryable = retriesLeft && trial.study.state !== "stopped" && trial.study.state !== "completed";
    const where: Prisma.TrialWhereInput = { id: trialId, state: "running" };
    if (input.leaseToken !== undefined) where.leaseToken = input.leaseToken;
    if (input.staleBefore !== undefined) where.heartbeatAt = { lt: input.staleBefore };
    const fenced = await tx.trial.updateMany({
      where,
      data: retriesLeft
        ? { state: "abandoned", error: input.reason, finishedAt: now }
        : {
            state: "failed",
            error: `${input.reason} (gave up after ${trial.attempt} retries)`,
            finishedAt: now,
          },
    });
    if (fenced.count !== 1) return throwFenceFailure(tx, trialId);
    let retry: Trial | null = null;
    if (retryable) {
      retry = await tx.trial.create({
        data: {
          studyId,
          number: await nextTrialNumber(tx, studyId),
          state: "waiting",
          params: trial.params as Prisma.InputJsonValue,
          origin: trial.origin,
          retryOf: trial.id,
          attempt: trial.attempt + 1,
        },
      });
    }
    return { trial: await tx.trial.findUniqueOrThrow({ where: { id: trialId } }), retry };
  });
}

/** A worker hands its running trial back on shutdown: abandoned, and its point retried. */
export async function releaseTrial(
  prisma: PrismaClient,
  trialId: string,
  leaseToken: string,
  reason: string,
): Promise<AbandonOutcome> {
  return abandonTrial(prisma, trialId, { leaseToken, reason: `released: ${reason}` });
}
