import { createTrialQueue, enqueueTrialJob } from "@hpo/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleDefinition, startApiHarness, type ApiHarness } from "../testing/api-harness.js";

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness("api_operator_metrics");
});
afterAll(async () => {
  await h.close();
});

/** The value of one sample of the Prometheus text, e.g. `hpo_trials{state="running"}`. */
function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((entry) => entry.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe("GET /metrics: what an operator scales and alerts on", () => {
  it("reports queue depth, trials by state, workers and slots, ask latency and trial duration", async () => {
    const tenant = await h.createTenant("metrics");
    const study = await h.request<{ id: string }>("POST", "/v1/studies", {
      token: tenant.user,
      body: exampleDefinition("metered", { budget: { maxTrials: 10, parallelism: 3 } }),
    });
    const ask = async () =>
      h.request<{ id: string; leaseToken: string }>("POST", `/v1/studies/${study.body.id}/ask`, {
        token: tenant.user,
        body: {},
      });
    const first = await ask();
    await ask();
    await h.request("POST", `/v1/trials/${first.body.id}/tell`, {
      token: tenant.user,
      body: { leaseToken: first.body.leaseToken, state: "complete", value: 1 },
    });
    await h.request("POST", "/v1/workers", {
      token: tenant.worker,
      body: { id: "metrics-w1", host: "h", gpus: [], backend: "cpu", slots: 3 },
    });
    const queue = createTrialQueue({ redisUrl: "redis://127.0.0.1:6379", prefix: h.redisPrefix });
    try {
      for (const n of [1, 2]) {
        await enqueueTrialJob(queue, {
          trialId: `00000000-0000-4000-8000-00000000000${n}`,
          studyId: study.body.id,
        });
      }
      const metrics = await h.request("GET", "/metrics", { token: null });
      expect(metrics.status).toBe(200);
      const text = metrics.text;
      expect(sample(text, 'hpo_queue_jobs{state="waiting"}')).toBe(2);
      expect(sample(text, 'hpo_queue_jobs{state="active"}')).toBe(0);
      expect(sample(text, 'hpo_trials{state="running"}')).toBe(1);
      expect(sample(text, 'hpo_trials{state="complete"}')).toBe(1);
      expect(sample(text, 'hpo_trials{state="failed"}')).toBe(0);
      expect(sample(text, "hpo_workers_alive")).toBe(1);
      expect(sample(text, "hpo_worker_slots")).toBe(3);
      expect(sample(text, "hpo_worker_slots_busy")).toBe(1);
      expect(sample(text, 'hpo_ask_duration_seconds_count{outcome="trial"}')).toBe(2);
      expect(sample(text, 'hpo_trial_duration_seconds_count{state="complete"}')).toBe(1);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
