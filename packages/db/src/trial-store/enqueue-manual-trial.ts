import { HpoError, validateParams } from "@hpo/core";
import type { Params } from "@hpo/contracts";
import type { PrismaClient, Trial } from "../generated/prisma/client.js";
import { readStudyDefinition } from "./study-config.js";
import { nextTrialNumber, withStudyLock } from "./study-lock.js";

/**
 * The manual "trial-and-error" method: a trial with fixed params, validated against the space, numbered
 * now and left `waiting` so that it is served before any sampled point.
 */
export async function enqueueManualTrial(
  prisma: PrismaClient,
  studyId: string,
  params: Params,
): Promise<Trial> {
  const study = await prisma.study.findUnique({ where: { id: studyId } });
  if (!study) throw new HpoError("not_found", "Study not found", { status: 404 });
  if (study.state === "completed" || study.state === "stopped") {
    throw new HpoError("study_finished", `The study is ${study.state}; no trial can be added`, {
      status: 409,
    });
  }
  const definition = readStudyDefinition(study.definition);
  const checked = validateParams(definition.space, params);
  if (!checked.ok) {
    throw new HpoError("validation_failed", "The params do not fit the study's space", {
      status: 400,
      details: { issues: checked.issues.map((issue) => ({ ...issue, path: ["params", ...issue.path] })) },
    });
  }
  return withStudyLock(prisma, studyId, async (tx) => {
    // Deleted meanwhile (deletion takes the same lock): a 404, not a foreign-key error.
    const still = await tx.study.findUnique({ where: { id: studyId }, select: { id: true } });
    if (!still) throw new HpoError("not_found", "Study not found", { status: 404 });
    return tx.trial.create({
      data: {
        studyId,
        number: await nextTrialNumber(tx, studyId),
        state: "waiting",
        params: checked.params,
        origin: "manual",
      },
    });
  });
}
