import { randomUUID } from "node:crypto";
import { HpoError } from "@hpo/core";
import {
  activeTrialStates,
  unstartedTrialStates,
  type StudyDefinition,
  type TrialState,
} from "@hpo/contracts";
import type { PrismaClient, Trial } from "../generated/prisma/client.js";
import { databaseNow } from "./database-clock.js";
import { readStudyDefinition } from "./study-config.js";
import { withStudyLock } from "./study-lock.js";

export interface ClaimInput {
  workerId: string;
  gpu?: string | null;
  /** The worker's token for this claim (a UUID): the lease token, and what makes a retried claim repeatable. */
  claimToken?: string | undefined;
  now?: Date;
}

export interface ClaimedTrial {
  trial: Trial;
  leaseToken: string;
  definition: StudyDefinition;
  seed: number;
}

const unstarted: ReadonlySet<TrialState> = new Set(unstartedTrialStates);
function isUnstarted(state: TrialState): boolean {
  return unstarted.has(state);
}

/** The claim that made this trial `running`, tried again by the same worker with the same token. */
function isRepeatedClaim(
  trial: Pick<Trial, "state" | "leaseToken" | "workerId">,
  input: ClaimInput,
): boolean {
  return (
    input.claimToken !== undefined &&
    trial.state === "running" &&
    trial.leaseToken === input.claimToken &&
    trial.workerId === input.workerId
  );
}

function notClaimable(reason: string): HpoError {
  return new HpoError("not_claimable", `The trial cannot be claimed: ${reason}`, { status: 409 });
}

type ClaimedRow = Trial & { studyDefinition: unknown };

/**
 * The common case in one statement: a `queued` trial of a running study becomes `running` under a fresh
 * lease. No study lock: a queued trial already holds its parallelism slot, and the trial row's lock orders
 * racing claims (the second re-checks `state = 'queued'` after the first commits and matches nothing), a
 * stop that cancels it, or a reclaim. Anything else (a waiting trial, which must be counted against
 * parallelism, or a refusal that needs its reason) takes the locked path. Before: 7 round trips.
 */
async function claimQueuedTrial(
  prisma: PrismaClient,
  trialId: string,
  input: ClaimInput,
  leaseToken: string,
): Promise<ClaimedTrial | null> {
  const rows = await prisma.$queryRaw<ClaimedRow[]>`
    WITH clock AS (SELECT COALESCE(${input.now ?? null}::timestamptz, clock_timestamp()) AS "now")
    UPDATE "Trial" t
    SET "state" = 'running', "leaseToken" = ${leaseToken}, "workerId" = ${input.workerId},
        "gpu" = ${input.gpu ?? null}, "startedAt" = clock."now", "heartbeatAt" = clock."now", "updatedAt" = now()
    FROM "Study" s, clock
    WHERE t."id" = ${trialId}::uuid AND t."state" = 'queued' AND s."id" = t."studyId" AND s."state" = 'running'
    RETURNING t.*, s."definition" AS "studyDefinition"`;
  const row = rows[0];
  if (!row) return null;
  const { studyDefinition, ...trial } = row;
  const definition = readStudyDefinition(studyDefinition);
  return { trial, leaseToken, definition, seed: definition.seed };
}

/**
 * A worker takes a queued (or waiting) trial: it becomes `running` under a fresh lease token that every
 * later write must present. A second claim of the same trial (BullMQ delivers at least once) gets
 * `not_claimable`, so a trial never runs twice at once. The one exception is the same claim tried again:
 * a claim that presents the `claimToken` the trial is already running under is answered with that lease
 * (its first answer was lost), like a repeated tell; any other token, or none, still gets the 409.
 */
export async function claimTrial(
  prisma: PrismaClient,
  trialId: string,
  input: ClaimInput,
): Promise<ClaimedTrial> {
  const fast = await claimQueuedTrial(prisma, trialId, input, input.claimToken ?? randomUUID());
  if (fast) return fast;
  const found = await prisma.trial.findUnique({ where: { id: trialId }, select: { studyId: true } });
  if (!found) throw new HpoError("not_found", "Trial not found", { status: 404 });
  return withStudyLock(prisma, found.studyId, async (tx) => {
    const trial = await tx.trial.findUnique({ where: { id: trialId }, include: { study: true } });
    if (!trial) throw new HpoError("not_found", "Trial not found", { status: 404 });
    if (isRepeatedClaim(trial, input)) {
      const { study, ...claimedTrial } = trial;
      const definition = readStudyDefinition(study.definition);
      return { trial: claimedTrial, leaseToken: input.claimToken ?? "", definition, seed: definition.seed };
    }
    if (!isUnstarted(trial.state)) throw notClaimable(`it is ${trial.state}`);
    if (trial.study.state !== "running") throw notClaimable(`the study is ${trial.study.state}`);
    const definition = readStudyDefinition(trial.study.definition);
    if (trial.state === "waiting") {
      // A waiting trial does not hold a slot yet: taking it must not exceed parallelism (invariant 4).
      const active = await tx.trial.count({
        where: { studyId: trial.studyId, state: { in: [...activeTrialStates] } },
      });
      if (active >= definition.budget.parallelism) throw notClaimable("the study is at its parallelism");
    }
    const now = input.now ?? (await databaseNow(tx));
    const leaseToken = input.claimToken ?? randomUUID();
    const updated = await tx.trial.update({
      where: { id: trialId },
      data: {
        state: "running",
        leaseToken,
        workerId: input.workerId,
        gpu: input.gpu ?? null,
        startedAt: now,
        heartbeatAt: now,
      },
    });
    return { trial: updated, leaseToken, definition, seed: definition.seed };
  });
}
