import { HpoError, validateStudyDefinition } from "@hpo/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { abandonTrial } from "./abandon-trial.js";
import { claimTrial } from "./claim-trial.js";
import { enqueueManualTrial } from "./enqueue-manual-trial.js";
import { finishTrial } from "./finish-trial.js";
import { firstAttemptId } from "./first-attempt.js";
import { heartbeatTrial } from "./heartbeat-trial.js";
import { proposeTrials } from "./propose-trials.js";
import { reportTrial } from "./report-trial.js";

let db: TestDatabase;
let projectId = "";
let studyCount = 0;

beforeAll(async () => {
  db = await createTestDatabase("trial_store");
  projectId = (await db.prisma.project.create({ data: { name: "store" } })).id;
});
afterAll(async () => {
  await db.dispose();
});

async function makeStudy(overrides: Record<string, unknown> = {}): Promise<string> {
  studyCount += 1;
  const checked = validateStudyDefinition({
    name: `study-${studyCount}`,
    objective: { metric: "loss", direction: "minimize" },
    space: [
      { name: "x", type: "float", low: -5, high: 5 },
      { name: "c", type: "categorical", choices: ["a", "b"] },
    ],
    sampler: { type: "random" },
    budget: { maxTrials: 20, parallelism: 4 },
    trainer: { type: "command", command: ["true"] },
    seed: 7,
    ...overrides,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const study = await db.prisma.study.create({
    data: {
      projectId,
      name: checked.value.name,
      definition: checked.value,
    },
  });
  return study.id;
}

async function expectHpoError(work: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HpoError);
  expect((error as HpoError).code).toBe(code);
}

describe("proposeTrials", () => {
  it("numbers densely and never exceeds parallelism or maxTrials with concurrent proposers", async () => {
    const studyId = await makeStudy({ budget: { maxTrials: 24, parallelism: 5 } });
    let maxActive = 0;
    for (let round = 0; round < 40; round++) {
      // Three "schedulers" at once, each asking for more than the free slots.
      const results = await Promise.all([1, 2, 3].map(() => proposeTrials(db.prisma, studyId, 4)));
      const active = await db.prisma.trial.count({
        where: { studyId, state: { in: ["queued", "running"] } },
      });
      maxActive = Math.max(maxActive, active);
      const started = results.flatMap((result) => result.trials);
      // Each started trial is claimed and finished, as a worker would.
      for (const trial of started) {
        const claimed = await claimTrial(db.prisma, trial.id, { workerId: "w" });
        await finishTrial(db.prisma, trial.id, {
          leaseToken: claimed.leaseToken,
          state: "complete",
          value: round,
        });
      }
      if (started.length === 0) break;
    }
    expect(maxActive).toBeLessThanOrEqual(5);
    const trials = await db.prisma.trial.findMany({ where: { studyId }, orderBy: { number: "asc" } });
    expect(trials.map((trial) => trial.number)).toEqual(trials.map((_, index) => index));
    expect(trials).toHaveLength(24);
    const study = await db.prisma.study.findUniqueOrThrow({ where: { id: studyId } });
    expect(study.state).toBe("completed");
    expect(study.samplerVersion).toBeGreaterThan(0);
  });

  it("serves waiting manual trials before sampling, and leases in ask mode", async () => {
    const studyId = await makeStudy();
    const manual = await enqueueManualTrial(db.prisma, studyId, { x: 1, c: "b" });
    const asked = await proposeTrials(db.prisma, studyId, 2, { mode: "lease", workerId: "me" });
    expect(asked.trials.map((trial) => trial.number)).toEqual([0, 1]);
    expect(asked.trials[0]?.id).toBe(manual.id);
    for (const trial of asked.trials) {
      expect(trial.state).toBe("running");
      expect(trial.leaseToken).toEqual(expect.any(String));
    }
    await expectHpoError(enqueueManualTrial(db.prisma, studyId, { x: 99, c: "z" }), "validation_failed");
  });

  it("stops at a grid's end and reports why fewer trials came back", async () => {
    const studyId = await makeStudy({
      space: [{ name: "c", type: "categorical", choices: ["a", "b", "c"] }],
      sampler: { type: "grid" },
      budget: { maxTrials: 10, parallelism: 10 },
    });
    const result = await proposeTrials(db.prisma, studyId, 5);
    expect(result.trials).toHaveLength(3);
    expect(result.exhausted).toBe(true);
    expect(result.limitedBy).toBe("exhausted");
    expect(new Set(result.trials.map((trial) => JSON.stringify(trial.params))).size).toBe(3);
    await db.prisma.study.update({ where: { id: studyId }, data: { state: "paused" } });
    expect((await proposeTrials(db.prisma, studyId, 1)).limitedBy).toBe("not_running");
  });
});

describe("lease-fenced writes", () => {
  it("rejects a stale token on heartbeat, report and finish, changing nothing", async () => {
    const studyId = await makeStudy();
    const [trial] = (await proposeTrials(db.prisma, studyId, 1, { mode: "lease" })).trials;
    if (!trial?.leaseToken) throw new Error("no trial");
    const before = await db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } });
    await expectHpoError(heartbeatTrial(db.prisma, trial.id, "stale"), "lease_conflict");
    await expectHpoError(
      reportTrial(db.prisma, trial.id, { leaseToken: "stale", step: 0, value: 1 }),
      "lease_conflict",
    );
    await expectHpoError(
      finishTrial(db.prisma, trial.id, { leaseToken: "stale", state: "complete", value: 1 }),
      "lease_conflict",
    );
    await expectHpoError(claimTrial(db.prisma, trial.id, { workerId: "thief" }), "not_claimable");
    expect(await db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } })).toEqual(before);
    await expectHpoError(heartbeatTrial(db.prisma, crypto.randomUUID(), "x"), "not_found");
  });

  it("abandons only stale trials, retries the point up to maxRetries, then fails it", async () => {
    const studyId = await makeStudy({ budget: { maxTrials: 5, parallelism: 2, maxRetries: 1 } });
    const [trial] = (await proposeTrials(db.prisma, studyId, 1, { mode: "lease" })).trials;
    if (!trial) throw new Error("no trial");
    const past = new Date(Date.now() - 60_000);
    await expectHpoError(
      abandonTrial(db.prisma, trial.id, { reason: "stale", staleBefore: past }),
      "lease_conflict",
    );
    const first = await abandonTrial(db.prisma, trial.id, {
      reason: "heartbeat lost",
      staleBefore: new Date(),
    });
    expect(first.trial.state).toBe("abandoned");
    expect(first.retry).toMatchObject({
      state: "waiting",
      attempt: 1,
      retryOf: trial.id,
      params: trial.params,
    });
    // The retry is served first and, abandoned again, uses up maxRetries = 1.
    const [retry] = (await proposeTrials(db.prisma, studyId, 1, { mode: "lease" })).trials;
    expect(retry?.id).toBe(first.retry?.id);
    const second = await abandonTrial(db.prisma, retry?.id ?? "", { reason: "heartbeat lost" });
    expect(second.trial.state).toBe("failed");
    expect(second.trial.error).toContain("gave up");
    expect(second.retry).toBeNull();
  });

  it("names every attempt of a point by its first attempt (the key of its checkpoint directory)", async () => {
    const studyId = await makeStudy({ budget: { maxTrials: 5, parallelism: 1, maxRetries: 2 } });
    const [first] = (await proposeTrials(db.prisma, studyId, 1, { mode: "lease" })).trials;
    if (!first) throw new Error("no trial");
    expect(await firstAttemptId(db.prisma, first)).toBe(first.id);
    const released = await abandonTrial(db.prisma, first.id, { reason: "released: shutdown" });
    const [second] = (await proposeTrials(db.prisma, studyId, 1, { mode: "lease" })).trials;
    expect(second?.id).toBe(released.retry?.id);
    if (!second) throw new Error("no retry");
    const again = await abandonTrial(db.prisma, second.id, { reason: "heartbeat lost" });
    const third = again.retry;
    if (!third) throw new Error("no second retry");
    expect(third.retryOf).toBe(second.id);
    expect(await firstAttemptId(db.prisma, second)).toBe(first.id);
    expect(await firstAttemptId(db.prisma, third)).toBe(first.id);
  });
});

describe("reportTrial and finishTrial", () => {
  it("asks the study's pruner and stores a repeated step once", async () => {
    const studyId = await makeStudy({ pruner: { type: "median", minTrials: 1 } });
    const [good, bad] = (await proposeTrials(db.prisma, studyId, 2, { mode: "lease" })).trials;
    if (!good?.leaseToken || !bad?.leaseToken) throw new Error("no trials");
    await reportTrial(db.prisma, good.id, { leaseToken: good.leaseToken, step: 0, value: 1 });
    await finishTrial(db.prisma, good.id, { leaseToken: good.leaseToken, state: "complete", value: 1 });
    const first = await reportTrial(db.prisma, bad.id, { leaseToken: bad.leaseToken, step: 0, value: 10 });
    expect(first).toMatchObject({ prune: true, duplicate: false });
    const again = await reportTrial(db.prisma, bad.id, { leaseToken: bad.leaseToken, step: 0, value: 10 });
    expect(again.duplicate).toBe(true);
    expect(await db.prisma.trialReport.count({ where: { trialId: bad.id } })).toBe(1);
    const pruned = await finishTrial(db.prisma, bad.id, { leaseToken: bad.leaseToken, state: "pruned" });
    expect(pruned.trial).toMatchObject({ state: "pruned", value: 10 });
  });

  it("completes the study when a trial reaches targetValue and cancels what is pending", async () => {
    const studyId = await makeStudy({ budget: { maxTrials: 10, parallelism: 3, targetValue: 0.5 } });
    const [hit] = (await proposeTrials(db.prisma, studyId, 1, { mode: "lease" })).trials;
    const queued = (await proposeTrials(db.prisma, studyId, 2)).trials;
    if (!hit?.leaseToken) throw new Error("no trial");
    const outcome = await finishTrial(db.prisma, hit.id, {
      leaseToken: hit.leaseToken,
      state: "complete",
      value: 0.4,
    });
    expect(outcome.studyCompleted).toBe("target_value");
    const states = await db.prisma.trial.findMany({ where: { id: { in: queued.map((trial) => trial.id) } } });
    expect(states.map((trial) => trial.state)).toEqual(["cancelled", "cancelled"]);
  });

  it("requires a value (or the objective metric) to complete", async () => {
    const studyId = await makeStudy();
    const [trial] = (await proposeTrials(db.prisma, studyId, 1, { mode: "lease" })).trials;
    if (!trial?.leaseToken) throw new Error("no trial");
    await expectHpoError(
      finishTrial(db.prisma, trial.id, {
        leaseToken: trial.leaseToken,
        state: "complete",
        metrics: { acc: 1 },
      }),
      "validation_failed",
    );
    const done = await finishTrial(db.prisma, trial.id, {
      leaseToken: trial.leaseToken,
      state: "complete",
      metrics: { loss: 0.2, acc: 1 },
    });
    expect(done.trial.value).toBe(0.2);
  });
});
