import { HpoError, validateStudyDefinition } from "@hpo/core";
import type { PrismaClient } from "../generated/prisma/client.js";
import { proposeTrials } from "../trial-store/propose-trials.js";

/**
 * Fixtures shared by the trial store's integration tests: a one-param random study of `projectId`, the same
 * with one trial leased the way an ask/tell client leases it, and the stable code of the HpoError a call
 * fails with.
 */

/** A study minimizing `loss` over one float x ∈ [0, 1] with the random sampler; returns its id. */
export async function createRandomStudy(
  prisma: PrismaClient,
  projectId: string,
  name: string,
  options: { maxTrials: number; parallelism: number; seed: number },
): Promise<string> {
  const checked = validateStudyDefinition({
    name,
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: 0, high: 1 }],
    sampler: { type: "random" },
    budget: { maxTrials: options.maxTrials, parallelism: options.parallelism },
    seed: options.seed,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return (await prisma.study.create({ data: { projectId, name, definition: checked.value } })).id;
}

export async function leaseOneTrial(
  prisma: PrismaClient,
  projectId: string,
  name: string,
): Promise<{ id: string; leaseToken: string; studyId: string }> {
  const studyId = await createRandomStudy(prisma, projectId, name, {
    maxTrials: 10,
    parallelism: 2,
    seed: 1,
  });
  const [trial] = (await proposeTrials(prisma, studyId, 1, { mode: "lease" })).trials;
  if (!trial?.leaseToken) throw new Error("no trial");
  return { id: trial.id, leaseToken: trial.leaseToken, studyId };
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
