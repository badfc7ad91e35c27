import { createPruner, HpoError, type JsonValue } from "@hpo/core";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { databaseNow } from "./database-clock.js";
import { isStopRequested, throwFenceFailure } from "./lease-fence.js";
import { loadHistory } from "./load-history.js";
import { readStudyDefinition } from "./study-config.js";
import { withStudyLock } from "./study-lock.js";

export interface ReportInput {
  leaseToken: string;
  step: number;
  value: number;
  metrics?: Record<string, number> | null;
  now?: Date;
}

export interface ReportOutcome {
  prune: boolean;
  stop: boolean;
  reason?: string;
  /** The step was already stored (a retried request, or a second report): nothing new was written. */
  duplicate: boolean;
  /** With duplicate: the value stored for the step, which stands. */
  storedValue?: number;
  studyId: string;
}

/**
 * Stores one intermediate value (UNIQUE(trial, step): a repeated step is a no-op) and asks the study's
 * pruner whether to stop the trial early. Runs under the study lock because the pruner's saved state
 * (successive halving's rungs) is read-modify-written.
 */
export async function reportTrial(
  prisma: PrismaClient,
  trialId: string,
  input: ReportInput,
): Promise<ReportOutcome> {
  const found = await prisma.trial.findUnique({ where: { id: trialId }, select: { studyId: true } });
  if (!found) throw new HpoError("not_found", "Trial not found", { status: 404 });
  const studyId = found.studyId;
  return withStudyLock(prisma, studyId, async (tx) => {
    const now = input.now ?? (await databaseNow(tx));
    const fenced = await tx.trial.updateMany({
      where: { id: trialId, state: "running", leaseToken: input.leaseToken },
      data: { heartbeatAt: now },
    });
    if (fenced.count !== 1) return throwFenceFailure(tx, trialId);
    const inserted = await tx.trialReport.createMany({
      data: [
        {
          trialId,
          step: input.step,
          value: input.value,
          metrics: input.metrics ? (input.metrics as Prisma.InputJsonValue) : Prisma.DbNull,
          createdAt: now,
        },
      ],
      skipDuplicates: true,
    });
    const duplicate = inserted.count === 0;
    const stored = duplicate
      ? await tx.trialReport.findUnique({
          where: { trialId_step: { trialId, step: input.step } },
          select: { value: true },
        })
      : null;
    const seen = stored ? { duplicate, storedValue: stored.value } : { duplicate };
    const study = await tx.study.findUniqueOrThrow({ where: { id: studyId } });
    const stop = isStopRequested(study.state);
    const definition = readStudyDefinition(study.definition);
    if (definition.pruner.type === "none") return { prune: false, stop, ...seen, studyId };

    const history = await loadHistory(tx, studyId, definition.objectives);
    const trialNumber = (
      await tx.trial.findUniqueOrThrow({ where: { id: trialId }, select: { number: true } })
    ).number;
    const self = history.find((trial) => trial.number === trialNumber);
    const decision = createPruner(definition.pruner).decide({
      direction: definition.objective.direction,
      directions: definition.objectives.map((objective) => objective.direction),
      trial: { number: trialNumber, reports: self?.reports ?? [] },
      trials: history,
      state: (study.prunerState ?? null) as JsonValue | null,
    });
    await tx.study.update({
      where: { id: studyId },
      data: {
        prunerState: decision.state === null ? Prisma.DbNull : (decision.state as Prisma.InputJsonValue),
      },
    });
    const outcome: ReportOutcome = { prune: decision.prune, stop, ...seen, studyId };
    if (decision.reason !== undefined) outcome.reason = decision.reason;
    return outcome;
  });
}
