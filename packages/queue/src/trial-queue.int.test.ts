import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { TRIAL_QUEUE_NAME } from "@hpo/contracts";
import { Worker } from "bullmq";
import {
  createTrialQueue,
  enqueueTrialJob,
  ensureTrialJob,
  listPendingTrialJobs,
  removeWaitingTrialJob,
  trialJobId,
} from "./trial-queue.js";
import { publishStudyEvent, subscribeStudyEvents } from "./study-events.js";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `hpotest-queue-${randomUUID().slice(0, 8)}`;
const queue = createTrialQueue({ redisUrl, prefix });

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

describe("trial queue", () => {
  it("adds one job per trial with a colon-free id and attempts 1", async () => {
    const data = { trialId: randomUUID(), studyId: randomUUID() };
    await enqueueTrialJob(queue, data);
    await enqueueTrialJob(queue, data);
    const job = await queue.getJob(trialJobId(data.trialId));
    expect(job?.id).toBe(`trial-${data.trialId}`);
    expect(job?.id).not.toContain(":");
    expect(job?.opts.attempts).toBe(1);
    const pending = await listPendingTrialJobs(queue, 100);
    expect(pending.filter((p) => p.trialId === data.trialId)).toHaveLength(1);
  });

  it("re-adds a missing or finished job and leaves a live one alone", async () => {
    const data = { trialId: randomUUID(), studyId: randomUUID() };
    expect(await ensureTrialJob(queue, data)).toBe(true);
    expect(await ensureTrialJob(queue, data)).toBe(false);
    expect(await removeWaitingTrialJob(queue, data.trialId)).toBe(true);
    expect(await queue.getJobState(trialJobId(data.trialId))).toBe("unknown");
    expect(await ensureTrialJob(queue, data)).toBe(true);
  });

  it("replaces a job stuck in the failed state instead of being swallowed by it (bullmq #1662)", async () => {
    const data = { trialId: randomUUID(), studyId: randomUUID() };
    const ownQueue = createTrialQueue({ redisUrl, prefix: `${prefix}-failed` });
    await ownQueue.add("trial", data, { jobId: trialJobId(data.trialId), attempts: 1, removeOnFail: false });
    const worker = new Worker(TRIAL_QUEUE_NAME, () => Promise.reject(new Error("boom")), {
      connection: { url: redisUrl, maxRetriesPerRequest: null },
      prefix: `${prefix}-failed`,
    });
    for (let i = 0; i < 100 && (await ownQueue.getJobState(trialJobId(data.trialId))) !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await worker.close();
    expect(await ownQueue.getJobState(trialJobId(data.trialId))).toBe("failed");
    expect(await ensureTrialJob(ownQueue, data)).toBe(true);
    expect(await ownQueue.getJobState(trialJobId(data.trialId))).toBe("waiting");
    await ownQueue.obliterate({ force: true });
    await ownQueue.close();
  });
});

describe("study events", () => {
  it("delivers published events to subscribers of the prefixed channel", async () => {
    const received: string[] = [];
    const malformed: string[] = [];
    const subscription = await subscribeStudyEvents(
      redisUrl,
      prefix,
      (event) => received.push(event.studyId),
      (raw) => malformed.push(raw),
    );
    const publisher = new Redis(redisUrl);
    await publishStudyEvent(publisher, `${prefix}-other`, {
      type: "study.updated",
      studyId: "elsewhere",
      state: "paused",
    });
    await publisher.publish(`${prefix}:events`, '{"type":"study.updated","studyId":"no-time"}');
    await publishStudyEvent(publisher, prefix, { type: "study.updated", studyId: "mine", state: "paused" });
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(["mine"]);
    expect(malformed).toEqual(['{"type":"study.updated","studyId":"no-time"}']);
    await subscription.close();
    await publisher.quit();
  });
});
