import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkProblems, validateStudyDefinition } from "@hpo/core";
import { createPrismaClient, enqueueManualTrial, type PrismaClient } from "@hpo/db";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import type { StudyEventInput } from "@hpo/contracts";
import { createLogger, createTrialQueue, enqueueTrialJob, trialJobId } from "@hpo/queue";
import { cancelEndedStudies } from "./cancel-ended-studies.js";
import { fillStudy } from "./fill-study.js";
import { reconcileStaleTrials } from "./reconcile-stale-trials.js";
import { repairTrialQueue } from "./repair-trial-queue.js";
import type { SchedulerDeps } from "./scheduler-deps.js";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `hpotest-sched-${randomBytes(4).toString("hex")}`;
const queue = createTrialQueue({ redisUrl, prefix });
let db: TestDatabase;
let projectId: string;
const published: StudyEventInput[] = [];
/** Info lines the scheduler logged, as `message` plus fields. */
const logged: { message: string; fields: Record<string, unknown> }[] = [];
const quiet = createLogger("scheduler-test", "error");

function deps(prisma: PrismaClient = db.prisma, now: () => Date = () => new Date()): SchedulerDeps {
  return {
    prisma,
    queue,
    logger: { ...quiet, info: (message, fields = {}) => logged.push({ message, fields }) },
    publish: (event) => {
      published.push(event);
      return Promise.resolve();
    },
    now,
  };
}

async function createStudy(
  budget: Record<string, number>,
  trainer: Record<string, unknown> = { type: "synthetic", problem: "branin" },
  sampler: Record<string, unknown> = { type: "random" },
) {
  const result = validateStudyDefinition({
    name: `s-${randomUUID()}`,
    objective: { metric: "loss", direction: "minimize" },
    space: benchmarkProblems.branin.space,
    sampler,
    budget,
    trainer,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const study = await db.prisma.study.create({
    data: {
      projectId,
      name: result.value.name,
      definition: JSON.parse(JSON.stringify(result.value)) as object,
    },
  });
  return study.id;
}

beforeAll(async () => {
  db = await createTestDatabase("scheduler");
  projectId = (await db.prisma.project.create({ data: { name: "p" } })).id;
}, 60_000);

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await db.dispose();
}, 60_000);

describe("fillStudy", () => {
  it("tops a study up to its parallelism, once, even when two schedulers race", async () => {
    const studyId = await createStudy({ maxTrials: 10, parallelism: 3 });
    const other = createPrismaClient(db.url, { maxConnections: 3 });
    try {
      const results = await Promise.all([fillStudy(deps(), studyId), fillStudy(deps(other), studyId)]);
      expect(results.flatMap((r) => r.enqueued)).toHaveLength(3);
    } finally {
      await other.$disconnect();
    }
    const trials = await db.prisma.trial.findMany({ where: { studyId }, orderBy: { number: "asc" } });
    expect(trials.map((t) => [t.number, t.state])).toEqual([
      [0, "queued"],
      [1, "queued"],
      [2, "queued"],
    ]);
    for (const trial of trials) expect(await queue.getJobState(trialJobId(trial.id))).toBe("waiting");
    // Full: another pass adds nothing.
    expect((await fillStudy(deps(), studyId)).enqueued).toEqual([]);
  });

  it("leaves external-trainer studies to ask/tell", async () => {
    const studyId = await createStudy({ maxTrials: 5, parallelism: 2 }, { type: "external" });
    expect((await fillStudy(deps(), studyId)).enqueued).toEqual([]);
    expect(await db.prisma.trial.count({ where: { studyId } })).toBe(0);
  });

  it("ends a study whose maxDurationSeconds has passed and cancels its pending trials", async () => {
    const studyId = await createStudy({ maxTrials: 5, parallelism: 2, maxDurationSeconds: 60 });
    await fillStudy(deps(), studyId);
    const later = () => new Date(Date.now() + 61_000);
    expect((await fillStudy(deps(db.prisma, later), studyId)).ended).toBe("max_duration");
    const study = await db.prisma.study.findUniqueOrThrow({ where: { id: studyId } });
    expect([study.state, study.stateReason]).toEqual(["completed", "max_duration"]);
    const states = (await db.prisma.trial.findMany({ where: { studyId } })).map((t) => t.state);
    expect(states).toEqual(["cancelled", "cancelled"]);
    expect(published).toContainEqual({ type: "study.updated", studyId, state: "completed" });
    // The study's end has its own log line, with the study's name as the API's lines have it.
    expect(logged).toContainEqual({
      message: "study completed",
      fields: { study: study.name, studyId, reason: "max_duration" },
    });
  });

  it("settles a study whose budget was spent by trials that failed without a tell", async () => {
    const studyId = await createStudy({ maxTrials: 2, parallelism: 2 });
    await fillStudy(deps(), studyId);
    await db.prisma.trial.updateMany({ where: { studyId }, data: { state: "failed", error: "gave up" } });
    expect((await fillStudy(deps(), studyId)).ended).toBe("max_trials");
    expect((await db.prisma.study.findUniqueOrThrow({ where: { id: studyId } })).state).toBe("completed");
  });
});

describe("fillStudy serving order and exhaustion", () => {
  it("serves a manual trial before any sampled point", async () => {
    const studyId = await createStudy({ maxTrials: 10, parallelism: 1 });
    const manual = await enqueueManualTrial(db.prisma, studyId, { x1: 1, x2: 2 });
    const first = await fillStudy(deps(), studyId);
    expect(first.enqueued).toEqual([manual.id]);
    const stored = await db.prisma.trial.findUniqueOrThrow({ where: { id: manual.id } });
    expect([stored.state, stored.origin]).toEqual(["queued", "manual"]);
  });

  it("completes a grid study once every point has run", async () => {
    const studyId = await createStudy({ maxTrials: 50, parallelism: 3 }, undefined, {
      type: "grid",
      values: { x1: [0, 1], x2: [5] },
    });
    const finishAll = () =>
      db.prisma.trial.updateMany({
        where: { studyId, state: "queued" },
        data: { state: "complete", value: 1 },
      });
    expect((await fillStudy(deps(), studyId)).enqueued).toHaveLength(2);
    await finishAll();
    expect(await fillStudy(deps(), studyId)).toEqual({ enqueued: [], ended: "exhausted" });
    const study = await db.prisma.study.findUniqueOrThrow({ where: { id: studyId } });
    expect([study.state, study.stateReason]).toEqual(["completed", "exhausted"]);
  });
});

describe("reconcileStaleTrials", () => {
  it("abandons a running trial whose heartbeat is stale and retries its point; leaves a fresh one", async () => {
    const studyId = await createStudy({ maxTrials: 10, parallelism: 2, maxRetries: 1 });
    await fillStudy(deps(), studyId);
    const [stale, fresh] = await db.prisma.trial.findMany({ where: { studyId }, orderBy: { number: "asc" } });
    if (!stale || !fresh) throw new Error("no trials");
    const old = new Date(Date.now() - 60_000);
    await db.prisma.trial.update({
      where: { id: stale.id },
      data: { state: "running", leaseToken: "a", heartbeatAt: old, startedAt: old },
    });
    await db.prisma.trial.update({
      where: { id: fresh.id },
      data: { state: "running", leaseToken: "b", heartbeatAt: new Date(), startedAt: new Date() },
    });

    const outcomes = await reconcileStaleTrials(deps(), 10_000);
    expect(outcomes.map((o) => [o.trialId, o.state])).toEqual([[stale.id, "abandoned"]]);
    const retry = await db.prisma.trial.findFirstOrThrow({ where: { retryOf: stale.id } });
    expect([retry.state, retry.attempt, retry.number]).toEqual(["waiting", 1, 2]);
    expect(retry.params).toEqual(stale.params);
    expect((await db.prisma.trial.findUniqueOrThrow({ where: { id: fresh.id } })).state).toBe("running");

    // The retry's own heartbeat goes stale too: maxRetries (1) is used up, so it fails with the reason.
    await db.prisma.trial.update({
      where: { id: retry.id },
      data: { state: "running", leaseToken: "c", heartbeatAt: old, startedAt: old },
    });
    const second = await reconcileStaleTrials(deps(), 10_000);
    expect(second.map((o) => [o.trialId, o.state])).toEqual([[retry.id, "failed"]]);
    const failed = await db.prisma.trial.findUniqueOrThrow({ where: { id: retry.id } });
    expect(failed.error).toMatch(/heartbeat lost.*gave up after 1 retries/);
    expect(await db.prisma.trial.count({ where: { retryOf: retry.id } })).toBe(0);
  });
});

describe("repairTrialQueue and cancelEndedStudies", () => {
  it("re-enqueues a queued trial whose job vanished and drops the job of a finished trial", async () => {
    const studyId = await createStudy({ maxTrials: 10, parallelism: 2 });
    await fillStudy(deps(), studyId);
    const [lost, done] = await db.prisma.trial.findMany({ where: { studyId }, orderBy: { number: "asc" } });
    if (!lost || !done) throw new Error("no trials");
    await queue.remove(trialJobId(lost.id));
    await db.prisma.trial.update({ where: { id: done.id }, data: { state: "complete", value: 1 } });
    const repair = await repairTrialQueue(
      deps(db.prisma, () => new Date(Date.now() + 5_000)),
      {},
    );
    expect(repair.reEnqueued).toContain(lost.id);
    expect(repair.dropped).toContain(done.id);
    expect(await queue.getJobState(trialJobId(lost.id))).toBe("waiting");
    expect(await queue.getJobState(trialJobId(done.id))).toBe("unknown");
  });

  it("cancels the waiting and queued trials of a stopped study", async () => {
    const studyId = await createStudy({ maxTrials: 10, parallelism: 2 });
    await fillStudy(deps(), studyId);
    await db.prisma.study.update({ where: { id: studyId }, data: { state: "stopped" } });
    expect(await cancelEndedStudies(deps())).toContain(studyId);
    const trials = await db.prisma.trial.findMany({ where: { studyId } });
    expect(trials.map((t) => [t.state, t.error])).toEqual([
      ["cancelled", "cancelled: study stopped"],
      ["cancelled", "cancelled: study stopped"],
    ]);
    // Their jobs are then dropped by the repair.
    const repair = await repairTrialQueue(deps(), {});
    expect(repair.dropped).toEqual(expect.arrayContaining(trials.map((t) => t.id)));
    // A job for a trial this database does not know is left alone (another deployment may share Redis).
    const foreign = randomUUID();
    await enqueueTrialJob(queue, { trialId: foreign, studyId });
    expect((await repairTrialQueue(deps(), {})).dropped).not.toContain(foreign);
  });
});
