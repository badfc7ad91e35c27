import { validateStudyDefinition } from "@hpo/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { hpoErrorCode } from "../testing/trial-fixtures.js";
import { claimTrial } from "./claim-trial.js";
import { proposeTrials } from "./propose-trials.js";

let db: TestDatabase;
let projectId = "";
let studies = 0;

beforeAll(async () => {
  db = await createTestDatabase("claim_trial");
  projectId = (await db.prisma.project.create({ data: { name: "claims" } })).id;
});
afterAll(async () => {
  await db.dispose();
});

async function queuedTrial(): Promise<{ id: string; studyId: string }> {
  studies += 1;
  const checked = validateStudyDefinition({
    name: `claim-${studies}`,
    objective: { metric: "loss", direction: "minimize" },
    space: [
      { name: "x1", type: "float", low: -5, high: 10 },
      { name: "x2", type: "float", low: 0, high: 15 },
    ],
    sampler: { type: "random" },
    budget: { maxTrials: 10, parallelism: 2 },
    trainer: { type: "synthetic", problem: "branin", steps: 1, stepDelayMs: 0 },
    seed: 4,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const study = await db.prisma.study.create({
    data: { projectId, name: checked.value.name, definition: checked.value },
  });
  const [trial] = (await proposeTrials(db.prisma, study.id, 1)).trials;
  if (!trial) throw new Error("no trial");
  return { id: trial.id, studyId: study.id };
}

describe("claimTrial of a queued trial (one statement)", () => {
  it("leases it on the database clock and returns the trial with its study's definition", async () => {
    const queued = await queuedTrial();
    const claimed = await claimTrial(db.prisma, queued.id, { workerId: "w1", gpu: "0" });
    expect(claimed.trial).toMatchObject({
      id: queued.id,
      state: "running",
      workerId: "w1",
      gpu: "0",
      leaseToken: claimed.leaseToken,
    });
    expect(claimed.trial.startedAt).toEqual(claimed.trial.heartbeatAt);
    expect(claimed.definition.trainer.type).toBe("synthetic");
    expect(claimed.seed).toBe(4);
    expect(await db.prisma.trial.findUniqueOrThrow({ where: { id: queued.id } })).toEqual(claimed.trial);
  });

  it("gives a trial to exactly one of several racing claims; the others get not_claimable", async () => {
    const queued = await queuedTrial();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) => claimTrial(db.prisma, queued.id, { workerId: `w${index}` })),
    );
    const won = results.filter((result) => result.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "not_claimable" });
    }
    const stored = await db.prisma.trial.findUniqueOrThrow({ where: { id: queued.id } });
    expect(won[0]?.status === "fulfilled" && won[0].value.leaseToken).toBe(stored.leaseToken);
  });

  it("refuses a trial of a stopped study and an unknown trial, changing nothing", async () => {
    const queued = await queuedTrial();
    await db.prisma.study.update({ where: { id: queued.studyId }, data: { state: "stopped" } });
    const before = await db.prisma.trial.findUniqueOrThrow({ where: { id: queued.id } });
    expect(await hpoErrorCode(claimTrial(db.prisma, queued.id, { workerId: "w" }))).toBe("not_claimable");
    expect(await db.prisma.trial.findUniqueOrThrow({ where: { id: queued.id } })).toEqual(before);
    expect(await hpoErrorCode(claimTrial(db.prisma, crypto.randomUUID(), { workerId: "w" }))).toBe(
      "not_found",
    );
  });
});

describe("claimTrial tried again with the same claim token", () => {
  it("answers the lease it already granted; another token, another worker or no token still get not_claimable", async () => {
    const queued = await queuedTrial();
    const claimToken = "6a1f0c4e-2b7d-4c8e-9f3a-5d2e1b0c9a87";
    const first = await claimTrial(db.prisma, queued.id, { workerId: "w1", claimToken });
    expect(first.leaseToken).toBe(claimToken);
    // The first answer was lost: the worker tries the same claim again.
    const again = await claimTrial(db.prisma, queued.id, { workerId: "w1", claimToken });
    expect(again.leaseToken).toBe(claimToken);
    expect(again.trial).toMatchObject({ id: queued.id, state: "running", workerId: "w1" });
    expect(again.definition.trainer.type).toBe("synthetic");
    expect(await hpoErrorCode(claimTrial(db.prisma, queued.id, { workerId: "w1" }))).toBe("not_claimable");
    expect(
      await hpoErrorCode(
        claimTrial(db.prisma, queued.id, {
          workerId: "w1",
          claimToken: "0b9e8d7c-6f5a-4e3d-8c2b-1a0f9e8d7c6b",
        }),
      ),
    ).toBe("not_claimable");
    expect(await hpoErrorCode(claimTrial(db.prisma, queued.id, { workerId: "w2", claimToken }))).toBe(
      "not_claimable",
    );
    const stored = await db.prisma.trial.findUniqueOrThrow({ where: { id: queued.id } });
    expect(stored).toMatchObject({ state: "running", leaseToken: claimToken, workerId: "w1" });
  });
});
