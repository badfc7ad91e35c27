import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HpoError, validateStudyDefinition, benchmarkProblems } from "@hpo/core";
import type { StudyDefinition } from "@hpo/contracts";
import { createLogger } from "@hpo/queue";
import type { ClaimedTrial, TellBody, WorkerApiClient } from "../api/worker-api-client.js";
import { GpuAllocator } from "../gpu/gpu-allocator.js";
import { executeTrialJob, type RunningTrialControl, type TrialJobEnvironment } from "./execute-trial-job.js";

/**
 * executeTrialJob against an in-memory stand-in for the HTTP API (the API itself is covered by its own
 * tests and by tests/e2e); the trainer runs for real in a child process.
 */
function definitionWith(trainer: Record<string, unknown>): StudyDefinition {
  const result = validateStudyDefinition({
    name: "t",
    objective: { metric: "loss", direction: "minimize" },
    space: benchmarkProblems.branin.space,
    budget: { maxTrials: 5 },
    trainer,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

interface FakeApi extends WorkerApiClient {
  calls: string[];
  tells: TellBody[];
  releases: string[];
}

function fakeApi(
  definition: StudyDefinition,
  answers: {
    claim?: () => never;
    heartbeat?: (n: number) => { stop: boolean } | "conflict";
    report?: (step: number) => { prune: boolean; stop: boolean };
    /** What the claim returns beyond the defaults (a retry's id and checkpoint key). */
    claimed?: Partial<ClaimedTrial>;
  } = {},
): FakeApi {
  const calls: string[] = [];
  const tells: TellBody[] = [];
  const releases: string[] = [];
  let beats = 0;
  const claimed: ClaimedTrial = {
    id: "trial-1",
    studyId: "study-1",
    number: 0,
    params: { x1: 1, x2: 2 },
    leaseToken: "lease-1",
    attempt: 0,
    definition,
    seed: 0,
    ...answers.claimed,
  };
  return {
    calls,
    tells,
    releases,
    registerWorker: () =>
      Promise.resolve({ id: "w", registered: true, lastSeen: "", pool: "default", queues: [] }),
    claimTrial: () => {
      calls.push("claim");
      if (answers.claim) answers.claim();
      return Promise.resolve(claimed);
    },
    heartbeat: () => {
      calls.push("heartbeat");
      const answer = answers.heartbeat?.(++beats) ?? { stop: false };
      if (answer === "conflict")
        return Promise.reject(new HpoError("lease_conflict", "stale", { status: 409 }));
      return Promise.resolve(answer);
    },
    report: (_id, body) => {
      calls.push(`report ${body.step}`);
      return Promise.resolve(answers.report?.(body.step) ?? { prune: false, stop: false });
    },
    tell: (_id, body) => {
      calls.push("tell");
      tells.push(body);
      return Promise.resolve();
    },
    appendLogs: () => Promise.resolve(),
    release: (_id, _lease, reason) => {
      calls.push("release");
      releases.push(reason);
      return Promise.resolve();
    },
  };
}

function environment(api: WorkerApiClient, extra: Partial<TrialJobEnvironment> = {}) {
  const running = new Map<string, RunningTrialControl>();
  const env: TrialJobEnvironment = {
    api,
    workerId: "w",
    backend: "cpu",
    gpus: new GpuAllocator(["0", "1"], 1),
    heartbeatIntervalMs: 50,
    killGraceMs: 500,
    logFlushIntervalMs: 1_000,
    logger: createLogger("worker-test", "error"),
    track(trialId, control) {
      running.set(trialId, control);
      return () => running.delete(trialId);
    },
    ...extra,
  };
  return { env, running };
}

const data = { trialId: "trial-1", studyId: "study-1" };

describe("executeTrialJob", () => {
  it("claims, relays every report, heartbeats and tells the exact value", async () => {
    const api = fakeApi(definitionWith({ type: "synthetic", problem: "branin", steps: 3, stepDelayMs: 80 }));
    expect(await executeTrialJob(data, environment(api).env)).toBe("complete");
    expect(api.calls.filter((c) => c.startsWith("report"))).toEqual(["report 1", "report 2", "report 3"]);
    expect(api.calls).toContain("heartbeat");
    expect(api.tells).toEqual([
      {
        state: "complete",
        metrics: { loss: benchmarkProblems.branin.evaluate({ x1: 1, x2: 2 }) },
        value: benchmarkProblems.branin.evaluate({ x1: 1, x2: 2 }),
        backend: "synthetic",
        leaseToken: "lease-1",
      },
    ]);
  }, 30_000);

  it("drops a job whose trial is not claimable", async () => {
    const api = fakeApi(definitionWith({ type: "synthetic", problem: "branin" }), {
      claim: () => {
        throw new HpoError("not_claimable", "it is complete", { status: 409 });
      },
    });
    expect(await executeTrialJob(data, environment(api).env)).toBe("dropped");
    expect(api.tells).toEqual([]);
  });

  it("stops a trial when its heartbeat says stop, and writes nothing once the lease is lost", async () => {
    const slow = definitionWith({ type: "synthetic", problem: "branin", steps: 50, stepDelayMs: 100 });
    const stopped = fakeApi(slow, { heartbeat: (n) => ({ stop: n >= 2 }) });
    expect(await executeTrialJob(data, environment(stopped).env)).toBe("stopped");
    expect(stopped.tells[0]).toMatchObject({ state: "failed", error: "stopped: the study was stopped" });

    const lost = fakeApi(slow, { heartbeat: (n) => (n >= 2 ? "conflict" : { stop: false }) });
    expect(await executeTrialJob(data, environment(lost).env)).toBe("lease-lost");
    expect(lost.tells).toEqual([]);
  }, 30_000);

  it("ends at the pruning decision and times out a trainer that runs too long", async () => {
    const pruned = fakeApi(
      definitionWith({ type: "synthetic", problem: "branin", steps: 5, stepDelayMs: 10 }),
      {
        report: (step) => ({ prune: step === 2, stop: false }),
      },
    );
    expect(await executeTrialJob(data, environment(pruned).env)).toBe("pruned");
    expect(pruned.calls.filter((c) => c.startsWith("report"))).toEqual(["report 1", "report 2"]);

    const slow = fakeApi(
      definitionWith({ type: "synthetic", problem: "branin", steps: 50, stepDelayMs: 200 }),
    );
    expect(await executeTrialJob(data, environment(slow, { trialTimeoutMs: 600 }).env)).toBe("failed");
    expect(slow.tells[0]?.error).toBe("timed out after 1 s");
  }, 30_000);

  it("hands the trial back when the worker releases it, and pins command trainers to their GPUs", async () => {
    const api = fakeApi(
      definitionWith({ type: "synthetic", problem: "branin", steps: 50, stepDelayMs: 100 }),
    );
    const { env, running } = environment(api);
    const result = executeTrialJob(data, env);
    while (!running.has("trial-1")) await new Promise((resolve) => setTimeout(resolve, 20));
    running.get("trial-1")?.release("worker shutting down");
    expect(await result).toBe("released");
    expect(api.releases).toEqual(["worker shutting down"]);

    const program =
      "console.log('HPO_RESULT ' + JSON.stringify({ loss: Number(process.env.CUDA_VISIBLE_DEVICES) }))";
    const command = fakeApi(
      definitionWith({ type: "command", command: [process.execPath, "-e", program], gpusPerTrial: 1 }),
    );
    expect(await executeTrialJob(data, environment(command).env)).toBe("complete");
    expect(command.tells[0]).toMatchObject({ state: "complete", value: 0, gpu: "0" });
  }, 60_000);

  it("gives every attempt of a point the same checkpoint directory, so a retried trial continues", async () => {
    const root = mkdtempSync(join(tmpdir(), "hpo-ckpt-"));
    // Saves a step counter in HPO_CHECKPOINT_DIR and reports how many steps it has run in total.
    const program = [
      "const fs = require('fs'); const file = require('path').join(process.env.HPO_CHECKPOINT_DIR, 'step');",
      "const step = (fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0) + 5;",
      "fs.writeFileSync(file, String(step));",
      "console.log('HPO_RESULT ' + JSON.stringify({ loss: step }));",
    ].join("\n");
    const definition = definitionWith({ type: "command", command: [process.execPath, "-e", program] });
    const first = fakeApi(definition);
    expect(await executeTrialJob(data, environment(first, { checkpointRoot: root }).env)).toBe("complete");
    // The retry after a release is a new trial; its claim names the first attempt as its checkpoint key.
    const again = fakeApi(definition, { claimed: { id: "trial-2", checkpointKey: "trial-1", attempt: 1 } });
    const retry = { trialId: "trial-2", studyId: "study-1" };
    expect(await executeTrialJob(retry, environment(again, { checkpointRoot: root }).env)).toBe("complete");
    // A trial that is no retry (no key, as from an older API) keeps its own directory.
    const other = fakeApi(definition, { claimed: { id: "trial-3" } });
    const third = { trialId: "trial-3", studyId: "study-1" };
    expect(await executeTrialJob(third, environment(other, { checkpointRoot: root }).env)).toBe("complete");
    expect([first.tells[0]?.value, again.tells[0]?.value, other.tells[0]?.value]).toEqual([5, 10, 5]);
  }, 60_000);
});
