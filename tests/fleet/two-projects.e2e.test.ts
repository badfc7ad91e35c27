import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, RestClient } from "../e2e/support/e2e-stack.js";
import { waitFor } from "../e2e/support/service-process.js";
import { countByState } from "../e2e/support/invariants.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";

/** The line a worker logs when it took a job it may not claim (the old bug: one shared queue). */
const REFUSAL = "trial not claimable, dropping its job";

/**
 * Routing: two projects, each with its own worker key, worker and study. Every job goes to its
 * project's own queue (`trials.<pool>.<projectId>`), so each worker only ever receives jobs it may claim:
 * both studies complete and no worker logs a single claim refusal.
 */
describe("fleet: two projects, each with its own worker, plus a shared fleet worker", () => {
  let stack: E2eStack;
  let userB: RestClient;
  const workerB = "worker-b";
  const fleetWorker = "fleet-worker";

  beforeAll(async () => {
    stack = await E2eStack.start({
      label: "fleet2",
      workers: [{ concurrency: 2 }],
      inProcess: true,
    });
    const admin = new RestClient(stack.apiUrl, stack.adminToken);
    const project = await admin.ok<{ id: string }>("POST", "/v1/projects", { name: `b-${stack.prefix}` });
    const key = (role: string) =>
      admin.ok<{ key: string }>("POST", `/v1/projects/${project.id}/keys`, { role }).then((k) => k.key);
    userB = new RestClient(stack.apiUrl, await key("user"));
    stack.startWorker({ id: workerB, concurrency: 2, env: { HPO_TOKEN: await key("worker") } });
    // The operator lets the default pool's fleet serve both projects (B with twice A's share).
    const projectA = (await stack.user.ok<{ project: { id: string } }>("GET", "/v1/me")).project.id;
    for (const [projectId, weight] of [
      [projectA, 1],
      [project.id, 2],
    ] as const) {
      await admin.ok("PUT", `/v1/fleets/default/members/${projectId}`, { weight });
    }
    const fleetKey = await admin.ok<{ key: string }>("POST", "/v1/fleets/default/keys");
    stack.startWorker({ id: fleetWorker, concurrency: 2, env: { HPO_TOKEN: fleetKey.key } });
    await waitFor(
      "project B's and the fleet's workers to register",
      async () => {
        const listed = await userB.ok<{ items: { id: string }[] }>("GET", "/v1/workers");
        const ids = listed.items.map((worker) => worker.id);
        return ids.includes(workerB) && ids.includes(fleetWorker);
      },
      60_000,
      200,
    );
  }, 120_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("runs every trial of both projects' studies, each on its own project's worker, with zero refusals", async () => {
    await stack.explain(async () => {
      const study = (name: string) =>
        syntheticStudy({ name, maxTrials: 12, parallelism: 3, steps: 2, stepDelayMs: 5 });
      const studyA = await stack.createStudy(study("a"));
      const studyB = (await userB.ok<{ id: string }>("POST", "/v1/studies", study("b"))).id;
      await stack.waitForStudyState(studyA, ["completed"], 60_000);
      await stack.waitForStudyState(studyB, ["completed"], 60_000);

      const trialsA = await stack.trials(studyA);
      const trialsB = await stack.trials(studyB);
      expect(countByState(trialsA)).toEqual({ complete: 12 });
      expect(countByState(trialsB)).toEqual({ complete: 12 });
      const workerA = [...stack.workers.keys()].find((id) => id !== workerB && id !== fleetWorker);
      // Each project's trials ran on its own worker or the shared fleet worker, never on the other's.
      for (const trial of trialsA) expect([workerA, fleetWorker]).toContain(trial.workerId);
      for (const trial of trialsB) expect([workerB, fleetWorker]).toContain(trial.workerId);
      const byFleet = [...trialsA, ...trialsB].filter((trial) => trial.workerId === fleetWorker);
      expect(byFleet.length).toBeGreaterThan(0);
      const refusals = stack.services
        .map((service) => service.output().split(REFUSAL).length - 1)
        .reduce((a, b) => a + b, 0);
      expect(refusals).toBe(0);

      // Each worker is told its own project's queue, and GET /v1/workers shows pools and free slots.
      const listed = await userB.ok<{ items: { id: string; pool: string; freeSlots: number }[] }>(
        "GET",
        "/v1/workers",
      );
      expect(listed.items.map((worker) => [worker.id, worker.pool, worker.freeSlots])).toEqual([
        [fleetWorker, "default", 2],
        [workerB, "default", 2],
      ]);
      const fleets = await new RestClient(stack.apiUrl, stack.adminToken).ok<{
        items: { pool: string; members: { weight: number }[]; slots: number }[];
      }>("GET", "/v1/fleets");
      expect(
        fleets.items.map((fleet) => [fleet.pool, fleet.members.map((m) => m.weight), fleet.slots]),
      ).toEqual([["default", [1, 2], 2]]);
    });
  }, 90_000);
});
