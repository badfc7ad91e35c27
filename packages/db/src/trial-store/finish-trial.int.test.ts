import { HpoError, validateStudyDefinition } from "@hpo/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { claimTrial } from "./claim-trial.js";
import { finishTrial, type FinishInput } from "./finish-trial.js";
import { proposeTrials } from "./propose-trials.js";
import { reportTrial } from "./report-trial.js";

let db: TestDatabase;
let projectId = "";
let studyCount = 0;

beforeAll(async () => {
  db = await createTestDatabase("finish_trial");
  projectId = (await db.prisma.project.create({ data: { name: "finish" } })).id;
});
afterAll(async () => {
  await db.dispose();
});

async function leasedTrial(maxTrials = 10): Promise<{ studyId: string; trialId: string; token: string }> {
  studyCount += 1;
  const checked = validateStudyDefinition({
    name: `finish-${studyCount}`,
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: 0, high: 1 }],
    sampler: { type: "random" },
    budget: { maxTrials, parallelism: 2 },
    seed: 3,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const study = await db.prisma.study.create({
    data: { projectId, name: checked.value.name, definition: checked.value },
  });
  const [trial] = (await proposeTrials(db.prisma, study.id, 1, { mode: "lease" })).trials;
  if (!trial?.leaseToken) throw new Error("no trial");
  return { studyId: study.id, trialId: trial.id, token: trial.leaseToken };
}

async function conflictOf(work: Promise<unknown>): Promise<string> {
  const error: unknown = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  return error instanceof HpoError ? error.code : `no HpoError: ${String(error)}`;
}

describe("finishTrial repeated (a client's retry after a lost response)", () => {
  it("answers an identical repeat with the stored trial and writes nothing", async () => {
    const { trialId, token } = await leasedTrial();
    const tell: FinishInput = {
      leaseToken: token,
      state: "complete",
      metrics: { loss: 0.25, accuracy: 0.9, epochs: 3 },
      diagnostics: { saturated: false, layers: [{ dead: 0.1 }] },
    };
    const first = await finishTrial(db.prisma, trialId, tell);
    expect(first.repeated).toBe(false);
    expect(first.trial.value).toBe(0.25);
    // jsonb reorders keys: the repeat's metrics in another order are still the same result.
    const again = await finishTrial(db.prisma, trialId, {
      ...tell,
      metrics: { epochs: 3, accuracy: 0.9, loss: 0.25 },
    });
    expect(again.repeated).toBe(true);
    expect(again.studyCompleted).toBeNull();
    expect(again.trial).toEqual(first.trial);
    expect(await db.prisma.trial.findUniqueOrThrow({ where: { id: trialId } })).toEqual(first.trial);
  });

  it("settles two identical tells racing each other as one result and one repeat", async () => {
    const { studyId, trialId, token } = await leasedTrial(1);
    const tell: FinishInput = { leaseToken: token, state: "complete", value: 1.5 };
    const outcomes = await Promise.all([
      finishTrial(db.prisma, trialId, tell),
      finishTrial(db.prisma, trialId, tell),
    ]);
    expect(outcomes.map((outcome) => outcome.repeated).sort()).toEqual([false, true]);
    // The study completed once, by the first tell; the repeat reports no second completion.
    expect(outcomes.filter((outcome) => outcome.studyCompleted !== null)).toHaveLength(1);
    const study = await db.prisma.study.findUniqueOrThrow({ where: { id: studyId } });
    expect(study.state).toBe("completed");
  });

  it("keeps a different second tell a lease conflict, whatever differs", async () => {
    const { trialId, token } = await leasedTrial();
    const tell: FinishInput = { leaseToken: token, state: "complete", value: 2, metrics: { loss: 2 } };
    await finishTrial(db.prisma, trialId, tell);
    const before = await db.prisma.trial.findUniqueOrThrow({ where: { id: trialId } });
    const variants: FinishInput[] = [
      { ...tell, value: 3 },
      { ...tell, state: "failed" },
      { ...tell, metrics: { loss: 2, accuracy: 0.5 } },
      { ...tell, metrics: null },
      { ...tell, error: "boom" },
      { ...tell, backend: "wasm" },
      { ...tell, diagnostics: { saturated: true } },
      { ...tell, leaseToken: "another-token" },
    ];
    for (const variant of variants) {
      expect(await conflictOf(finishTrial(db.prisma, trialId, variant))).toBe("lease_conflict");
    }
    expect(await db.prisma.trial.findUniqueOrThrow({ where: { id: trialId } })).toEqual(before);
  });

  it("recognises a repeated pruned tell whose value came from the last report", async () => {
    const { trialId, token } = await leasedTrial();
    await reportTrial(db.prisma, trialId, { leaseToken: token, step: 1, value: 0.7 });
    const tell: FinishInput = { leaseToken: token, state: "pruned" };
    const first = await finishTrial(db.prisma, trialId, tell);
    expect(first.trial.value).toBe(0.7);
    expect((await finishTrial(db.prisma, trialId, tell)).repeated).toBe(true);
  });

  it("recognises a worker's repeat without backend and gpu, which its claim had set", async () => {
    const { trialId } = await leasedTrial();
    // Re-lease the trial the way a worker does: queued, then claimed with a GPU.
    await db.prisma.trial.update({ where: { id: trialId }, data: { state: "queued", leaseToken: null } });
    const claimed = await claimTrial(db.prisma, trialId, { workerId: "w1", gpu: "0" });
    const tell: FinishInput = {
      leaseToken: claimed.leaseToken,
      state: "failed",
      error: "CUDA out of memory",
      backend: "tensorflow",
      gpu: "0",
    };
    await finishTrial(db.prisma, trialId, tell);
    expect((await finishTrial(db.prisma, trialId, tell)).repeated).toBe(true);
    const withoutPlacement: FinishInput = {
      leaseToken: claimed.leaseToken,
      state: "failed",
      error: "CUDA out of memory",
    };
    expect((await finishTrial(db.prisma, trialId, withoutPlacement)).repeated).toBe(true);
  });

  it("completes the study when the last two trials finish in racing tells (no study lock on the write)", async () => {
    for (let round = 0; round < 5; round++) {
      const { studyId, trialId, token } = await leasedTrial(2);
      const [second] = (await proposeTrials(db.prisma, studyId, 1, { mode: "lease" })).trials;
      if (!second?.leaseToken) throw new Error("no second trial");
      const outcomes = await Promise.all([
        finishTrial(db.prisma, trialId, { leaseToken: token, state: "complete", value: 1 }),
        finishTrial(db.prisma, second.id, { leaseToken: second.leaseToken, state: "complete", value: 2 }),
      ]);
      expect(outcomes.filter((outcome) => outcome.studyCompleted === "max_trials")).toHaveLength(1);
      const study = await db.prisma.study.findUniqueOrThrow({ where: { id: studyId } });
      expect(study.state).toBe("completed");
    }
  });
});
