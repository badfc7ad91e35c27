import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { createRandomStudy } from "../testing/trial-fixtures.js";
import { randomUUID } from "node:crypto";
import {
  appendTrialLog,
  claimTrial,
  findScopedTrial,
  finishTrial,
  heartbeatTrial,
  proposeTrials,
  reportTrial,
} from "../trial-store/index.js";

let db: TestDatabase;
let studyId = "";
let projectId = "";

beforeAll(async () => {
  db = await createTestDatabase("query_plans");
  projectId = (await db.prisma.project.create({ data: { name: "plans" } })).id;
  studyId = await createRandomStudy(db.prisma, projectId, "plans", {
    maxTrials: 100,
    parallelism: 10,
    seed: 5,
  });
});
afterAll(async () => {
  await db.dispose();
});

interface Leased {
  id: string;
  leaseToken: string;
}

/** Queued trials, as the scheduler leaves them (not part of what is counted). */
async function queueTrials(count: number): Promise<string[]> {
  const { trials } = await proposeTrials(db.prisma, studyId, count, { mode: "queue" });
  return trials.map((trial) => trial.id);
}

/** The API's calls for one queued trial: the lookup and claim, a heartbeat, a report, a log chunk, a tell with `loss`. */
async function runTrial(trialId: string, loss: number): Promise<void> {
  const scope = { projectId };
  if (!(await findScopedTrial(db.prisma, trialId, scope))) throw new Error("trial not found");
  const claimed = await claimTrial(db.prisma, trialId, { workerId: "w", claimToken: randomUUID() });
  const trial: Leased = { id: trialId, leaseToken: claimed.leaseToken };
  await heartbeatTrial(db.prisma, trial.id, trial.leaseToken);
  await appendTrialLog(db.prisma, trial.id, trial.leaseToken, `step ${loss}\n`, scope);
  await reportTrial(db.prisma, trial.id, { leaseToken: trial.leaseToken, step: 1, value: loss * 2 });
  await finishTrial(db.prisma, trial.id, {
    leaseToken: trial.leaseToken,
    state: "complete",
    metrics: { loss },
  });
}

/**
 * Prisma 7 compiles each query shape to a plan and keeps up to 1,000 plans per client (an LRU keyed by
 * the query with its values replaced by placeholders). A value Prisma leaves in the key (a scalar list
 * written as a bare array: `values: [0.25]`) makes every call a new shape: a plan compiled per tell and
 * the cache filled with plans that are never used again. Found by the soak's heap snapshots of the API
 * (tests/chaos/soak.chaos.test.ts): after a few hundred trials, 867 of the 910 cached plans were the
 * tell's update, one per objective value. Prisma names each miss on its debug channel, which is what
 * this test counts.
 */
describe("query plans of a trial's hot path", () => {
  it("are compiled for the first trial and reused by the next ones, whatever their values", async () => {
    const losses = [0.5, 0.125, 0.25, 0.375, 0.625, 0.75];
    const [first, ...others] = await queueTrials(losses.length);
    if (!first || others.length !== losses.length - 1) throw new Error("fewer trials than asked");
    await runTrial(first, losses[0] ?? 0);
    const misses: string[] = [];
    let hits = 0;
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      const line = args.map(String).join(" ");
      if (line.includes("query plan cache miss")) misses.push(line);
      if (line.includes("query plan cache hit")) hits++;
    });
    const previous: unknown = Reflect.get(globalThis, "DEBUG");
    Reflect.set(globalThis, "DEBUG", "prisma:client:clientEngine");
    try {
      for (const [index, trial] of others.entries()) await runTrial(trial, losses[index + 1] ?? 0);
    } finally {
      Reflect.set(globalThis, "DEBUG", previous);
      warn.mockRestore();
    }
    // The channel is Prisma's own wording: seeing its hits shows the count below still means something.
    expect(hits).toBeGreaterThan(0);
    expect(misses).toEqual([]);
  });
});
