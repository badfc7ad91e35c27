import { randomBytes } from "node:crypto";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createTrialQueue, enqueueTrialJob } from "@hpo/queue";
import { TRIAL_QUEUE_NAME, type TrialJobData } from "@hpo/contracts";
import { repoRoot } from "../e2e/support/service-process.js";
import { kustomizeBuild } from "./support/kustomize.js";

/**
 * KEDA scales the workers on the lengths of two Redis lists named in the ScaledObjects. This test
 * enqueues and takes a real trial job with BullMQ and reads those very lists, so a BullMQ upgrade that
 * moved its keys (or a renamed queue) fails here instead of leaving the autoscaler watching nothing.
 */
const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379";
const prefix = `hpo-keda-${randomBytes(4).toString("hex")}`;
const queue = createTrialQueue({ redisUrl, prefix });
const redis = new Redis(redisUrl);
const worker = new Worker<TrialJobData>(TRIAL_QUEUE_NAME, null, {
  connection: { url: redisUrl, maxRetriesPerRequest: null },
  prefix,
  autorun: false,
});

afterAll(async () => {
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

interface Trigger {
  name: string;
  metadata: { listName: string };
}

/** The ScaledObject's list names, with the manifests' queue prefix swapped for this test's. */
function listNames(): Record<string, string> {
  const { objects } = kustomizeBuild(`${repoRoot}deploy/kubernetes`, repoRoot);
  const scaled = objects.find((object) => object.kind === "ScaledObject") as unknown as {
    spec: { triggers: Trigger[] };
  };
  return Object.fromEntries(
    scaled.spec.triggers.map((trigger) => [
      trigger.name,
      trigger.metadata.listName.replace(/^hpo:/, `${prefix}:`),
    ]),
  );
}

describe("the Redis lists KEDA watches", () => {
  it("hold the waiting trial jobs, then the ones a worker is running", async () => {
    const lists = listNames();
    const waiting = lists["waiting"] ?? "";
    const running = lists["running"] ?? "";
    await enqueueTrialJob(queue, { trialId: "00000000-0000-4000-8000-000000000001", studyId: "s" });
    await enqueueTrialJob(queue, { trialId: "00000000-0000-4000-8000-000000000002", studyId: "s" });
    expect([await redis.llen(waiting), await redis.llen(running)]).toEqual([2, 0]);
    const job = await worker.getNextJob("keda-test-token");
    expect(job?.data.trialId).toBeDefined();
    expect([await redis.llen(waiting), await redis.llen(running)]).toEqual([1, 1]);
    expect(await redis.type(waiting)).toBe("list");
    expect(await redis.type(running)).toBe("list");
  });
});
