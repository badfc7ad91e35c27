import { HpoError, validateStudyDefinition } from "@hpo/core";
import type { PrismaClient } from "../generated/prisma/client.js";
import { proposeTrials } from "../trial-store/propose-trials.js";

/**
 * Fixtures shared by the trial store's integration tests: a one-param random study of `projectId` with one
 * trial leased the way an ask/tell client leases it, and the stable code of the HpoError a call fails with.
 */
export async function leaseOneTrial(
  prisma: PrismaClient,
  projectId: string,
  name: string,
): Promise<{ id: string; leaseToken: string; studyId: string }> {
  const checked = validateStudyDefinition({
    name,
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: 0, high: 1 }],
    sampler: { type: "random" },
    budget: { maxTrials: 10, parallelism: 2 },
    seed: 1,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const study = await prisma.study.create({ data: { projectId, name, definition: checked.value } });
  const [trial] = (await proposeTrials(prisma, study.id, 1, { mode: "lease" })).trials;
  if (!trial?.leaseToken) throw new Error("no trial");
  return { id: trial.id, leaseToken: trial.leaseToken, studyId: study.id };
}

/** The HpoError code `work` rejects with, "none" when it resolves; any other error is rethrown. */
export async function hpoErrorCode(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof HpoError) return error.code;
    throw error;
  }
  return "none";
}
