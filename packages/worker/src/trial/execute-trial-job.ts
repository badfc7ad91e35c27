import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { HpoError } from "@hpo/core";
import type { StudyDefinition, TrialJobData } from "@hpo/contracts";
import {
  isConflict,
  type ClaimedTrial,
  type TellBody,
  type WorkerApiClient,
} from "../api/worker-api-client.js";
import { describeChildExit, startChildTrial, type ChildRunResult } from "../child/run-child-trial.js";
import type { ChildTrialJob } from "@hpo/contracts";
import { startInProcessTrial } from "../child/run-in-process-trial.js";
import {
  ownPrivately,
  privateTempDir,
  trialIdentity,
  type ProjectIsolation,
  type TrialIdentity,
} from "../child/project-isolation.js";
import type { GpuAllocator } from "../gpu/gpu-allocator.js";
import type { WorkerBackend } from "../options/parse-worker-args.js";
import type { Logger } from "@hpo/queue";

export interface TrialJobEnvironment {
  api: WorkerApiClient;
  workerId: string;
  backend: WorkerBackend;
  gpus: GpuAllocator;
  heartbeatIntervalMs: number;
  /** How long a trainer may wind down after prune/stop/timeout before SIGKILL. */
  killGraceMs: number;
  /** Backstop for trainers without their own timeout; undefined = none. */
  trialTimeoutMs?: number;
  logFlushIntervalMs: number;
  /** Run synthetic trials inside the worker process instead of a child (see run-in-process-trial.ts). */
  syntheticInProcess?: boolean;
  logger: Logger;
  /**
   * Shared storage for checkpoints (HPO_CHECKPOINT_ROOT): each trial gets HPO_CHECKPOINT_DIR =
   * <root>/<studyId>/<checkpointKey>, keyed by the first attempt of its point, the same on every worker, so
   * a trial handed back on SIGTERM (retried as a new trial) and claimed elsewhere finds what it saved.
   * Unset: no checkpoint directory.
   */
  checkpointRoot?: string;
  /** `--isolate-projects`: run each project's trial processes as its own uid (child/project-isolation.ts). */
  isolation?: ProjectIsolation;
  /** Lets the worker hand running trials back on shutdown; returns the unregister function. */
  track(trialId: string, control: RunningTrialControl): () => void;
}

export interface RunningTrialControl {
  /** Stop the trainer and hand the trial back to the service (worker shutdown). */
  release(reason: string): void;
}

/**
 * `busy`: the trial needs more GPUs than are free right now; `unfit`: this worker cannot serve it at all.
 * In both cases nothing was claimed and the job goes back to its queue.
 */
export type TrialJobResult =
  "busy" | "unfit" | "dropped" | "complete" | "pruned" | "failed" | "stopped" | "released" | "lease-lost";

type EndReason = "pruned" | "stopped" | "timeout" | "lease-lost" | "released";

/** How many GPUs a trial of this trainer gets pinned to. */
function gpusWanted(trainer: StudyDefinition["trainer"], gpuCount: number, backend: WorkerBackend): number {
  if (gpuCount === 0) return 0;
  if (trainer.type === "command") return trainer.gpusPerTrial;
  if (trainer.type === "tfjs") return backend === "auto" || backend === "gpu" ? 1 : 0;
  return 0;
}

function timeoutOf(trainer: StudyDefinition["trainer"], env: TrialJobEnvironment): number | undefined {
  if (trainer.type === "command") return trainer.timeoutSeconds * 1000 + env.killGraceMs;
  return env.trialTimeoutMs;
}

/**
 * Runs one BullMQ job: claim the trial through the API (a lease), run its trainer in a child process,
 * heartbeat, relay reports (and obey prune/stop), then tell the outcome. Every write carries the lease
 * token; a 409 means another party owns the trial now, so the worker drops it without writing more.
 */
export async function executeTrialJob(data: TrialJobData, env: TrialJobEnvironment): Promise<TrialJobResult> {
  // The GPUs a trial needs are reserved before the claim: without them it is not claimed at all.
  // A trial that states its GPU memory reserves that much on each GPU, so smaller ones share a GPU.
  const needs = data.requirements;
  const reserved = needs ? env.gpus.tryAcquire(needs.gpus, needs.gpuMemoryGb) : null;
  if (reserved === null && data.requirements) return "busy";
  let claimed: ClaimedTrial;
  try {
    // One token for every try of this claim: a retry after a lost answer gets the same lease back.
    claimed = await env.api.claimTrial(data.trialId, { workerId: env.workerId, claimToken: randomUUID() });
  } catch (error) {
    if (reserved) env.gpus.release(reserved);
    // The API found this worker's offer short of the study's needs: hand the job back, never drop it.
    if (error instanceof HpoError && error.code === "requirements_not_met") return "unfit";
    if (isConflict(error)) {
      env.logger.info("trial not claimable, dropping its job", { trialId: data.trialId });
      return "dropped";
    }
    throw error;
  }
  const definition = claimed.definition;
  const trainer = definition.trainer;
  const grant =
    reserved && reserved.ids.length > 0
      ? reserved
      : env.gpus.acquire(gpusWanted(trainer, env.gpus.gpuCount, env.backend));
  const gpuIds = [...grant.ids];
  const lease = claimed.leaseToken;
  let identity: TrialIdentity | undefined;
  try {
    identity = env.isolation ? trialIdentity(env.isolation, claimed.projectNumber) : undefined;
  } catch (error) {
    env.gpus.release(grant);
    const message = error instanceof Error ? error.message : String(error);
    return finishTrial(
      env,
      claimed,
      lease,
      { kind: "tell", body: { state: "failed", metrics: {}, error: message } },
      undefined,
    );
  }
  // An isolated trial gets its own TMPDIR and HOME, owned by its project's uid, mode 0700.
  const privateDir = identity ? await privateTempDir(identity) : undefined;
  const log = createLogRelay(env, data.trialId, lease);
  let endReason: EndReason | null = null;
  let lastMetrics: Record<string, number> = {};
  let handle: ReturnType<typeof startChildTrial> | null = null;
  const end = (reason: EndReason, kill = false) => {
    endReason ??= reason;
    if (kill) handle?.kill();
    else handle?.abort(reason);
  };

  const job: ChildTrialJob = {
    trialId: claimed.id,
    studyId: claimed.studyId,
    number: claimed.number,
    params: claimed.params,
    seed: claimed.seed,
    objectiveMetric: definition.objective.metric,
    gpuIds,
    backend: env.backend,
    trainer,
  };
  env.logger.info("trial started", {
    study: definition.name,
    number: claimed.number,
    trialId: claimed.id,
    ...(gpuIds.length > 0 ? { gpus: gpuIds } : {}),
  });
  // In-process synthetic trials run only the worker's own arithmetic, no project code: nothing to isolate.
  const start =
    env.syntheticInProcess && trainer.type === "synthetic" ? startInProcessTrial : startChildTrial;
  handle = start({
    job,
    // Pin the child to its GPUs; an empty value hides every GPU from a trial that should not use one.
    env: {
      CUDA_VISIBLE_DEVICES: gpuIds.join(","),
      ...(await checkpointEnv(
        env.checkpointRoot,
        claimed.studyId,
        claimed.checkpointKey ?? claimed.id,
        identity,
      )),
      ...(privateDir === undefined
        ? {}
        : { TMPDIR: privateDir, TMP: privateDir, TEMP: privateDir, HOME: privateDir }),
    },
    ...(identity === undefined ? {} : { identity }),
    killGraceMs: env.killGraceMs,
    onOutput: log.append,
    async onReport(step, metrics) {
      lastMetrics = metrics;
      const value = metrics[definition.objective.metric];
      try {
        const answer = await env.api.report(claimed.id, {
          leaseToken: lease,
          step,
          metrics,
          ...(value === undefined ? {} : { value }),
        });
        if (answer.stop) end("stopped");
        else if (answer.prune) {
          endReason ??= "pruned";
          // The trainer should return `pruned` by itself; if it does not within the grace period, kill it.
          setTimeout(() => handle?.kill(), env.killGraceMs).unref();
        }
        return answer;
      } catch (error) {
        if (isConflict(error)) end("lease-lost", true);
        else env.logger.warn("report failed", { trialId: claimed.id, error: String(error) });
        return { prune: false, stop: isConflict(error) };
      }
    },
  });
  const untrack = env.track(claimed.id, { release: () => end("released") });

  // One heartbeat at a time: a slow API must not pile up concurrent heartbeats for the same trial.
  let heartbeat: NodeJS.Timeout | undefined;
  let beating = true;
  const beat = () => {
    void env.api
      .heartbeat(claimed.id, lease)
      .then(
        (answer) => {
          if (answer.stop) end("stopped");
        },
        (error: unknown) => {
          if (isConflict(error)) end("lease-lost", true);
          else env.logger.warn("heartbeat failed", { trialId: claimed.id, error: String(error) });
        },
      )
      .finally(() => {
        if (beating) heartbeat = setTimeout(beat, env.heartbeatIntervalMs);
      });
  };
  heartbeat = setTimeout(beat, env.heartbeatIntervalMs);
  const timeoutMs = timeoutOf(trainer, env);
  const timeout = timeoutMs === undefined ? undefined : setTimeout(() => end("timeout"), timeoutMs);

  let result: ChildRunResult;
  try {
    result = await handle.result;
  } catch (error) {
    env.gpus.release(grant);
    throw error;
  } finally {
    if (privateDir !== undefined) await rm(privateDir, { recursive: true, force: true });
    beating = false;
    clearTimeout(heartbeat);
    clearTimeout(timeout);
    untrack();
  }
  // The GPUs stay reserved until the outcome is recorded, so the trial's recorded span (claim to tell)
  // covers its use of them and the next trial on them starts after it, also in the history.
  try {
    await log.flush();
    const gpu = gpuIds.length > 0 ? gpuIds.join(",") : undefined;
    return await finishTrial(env, claimed, lease, decideTell(result, endReason, lastMetrics, timeoutMs), gpu);
  } finally {
    env.gpus.release(grant);
  }
}

type Decision = { kind: "tell"; body: Omit<TellBody, "leaseToken"> } | { kind: "release" } | { kind: "none" };

/** Maps how the child ended (and why the worker ended it, if it did) to the write the API gets. */
export function decideTell(
  result: ChildRunResult,
  endReason: EndReason | null,
  lastMetrics: Record<string, number>,
  timeoutMs?: number,
): Decision {
  if (endReason === "lease-lost") return { kind: "none" };
  if (endReason === "released") return { kind: "release" };
  if (result.kind === "outcome") {
    const { state, metrics, value, backend, error, diagnostics } = result.outcome;
    const body: Omit<TellBody, "leaseToken"> = { state, metrics, backend };
    if (value !== undefined && Number.isFinite(value)) body.value = value;
    if (error !== undefined) body.error = error;
    if (diagnostics !== undefined) body.diagnostics = diagnostics;
    if (state === "complete" && body.value === undefined && Object.keys(metrics).length === 0) {
      return {
        kind: "tell",
        body: { state: "failed", metrics, backend, error: "trainer reported no value" },
      };
    }
    return { kind: "tell", body };
  }
  if (endReason === "pruned") return { kind: "tell", body: { state: "pruned", metrics: lastMetrics } };
  if (endReason === "stopped") {
    return {
      kind: "tell",
      body: { state: "failed", metrics: lastMetrics, error: "stopped: the study was stopped" },
    };
  }
  if (endReason === "timeout") {
    const seconds = timeoutMs === undefined ? "?" : Math.round(timeoutMs / 1000);
    return {
      kind: "tell",
      body: { state: "failed", metrics: lastMetrics, error: `timed out after ${seconds} s` },
    };
  }
  const error = result.kind === "error" ? result.message : describeChildExit(result);
  return { kind: "tell", body: { state: "failed", metrics: lastMetrics, error } };
}

async function finishTrial(
  env: TrialJobEnvironment,
  claimed: ClaimedTrial,
  lease: string,
  decision: Decision,
  gpu: string | undefined,
): Promise<TrialJobResult> {
  try {
    if (decision.kind === "none") return "lease-lost";
    if (decision.kind === "release") {
      await env.api.release(claimed.id, lease, "worker shutting down");
      env.logger.info("trial handed back", { trialId: claimed.id });
      return "released";
    }
    await env.api.tell(claimed.id, { ...decision.body, leaseToken: lease, ...(gpu ? { gpu } : {}) });
    // The trial's result on one line: under `hpo up` this is how a study's progress reads in the terminal.
    const metric = claimed.definition.objective.metric;
    env.logger.info("trial finished", {
      study: claimed.definition.name,
      number: claimed.number,
      state: decision.body.state,
      [metric]: decision.body.value ?? decision.body.metrics?.[metric] ?? null,
      ...(decision.body.error === undefined ? {} : { error: decision.body.error }),
      params: claimed.params,
      trialId: claimed.id,
    });
    if (decision.body.error?.startsWith("stopped:")) return "stopped";
    return decision.body.state;
  } catch (error) {
    if (isConflict(error)) {
      env.logger.warn("final write rejected: lease no longer held", { trialId: claimed.id });
      return "lease-lost";
    }
    throw error;
  }
}

/** Buffers the child's output and appends it to the trial's log through the API, a batch at a time. */
function createLogRelay(env: TrialJobEnvironment, trialId: string, lease: string) {
  let buffer = "";
  let sending: Promise<void> = Promise.resolve();
  const MAX_BUFFER = 1 << 20;
  const flush = (): Promise<void> => {
    if (!buffer) return sending;
    const text = buffer;
    buffer = "";
    sending = sending.then(() =>
      env.api.appendLogs(trialId, lease, text).catch((error: unknown) => {
        env.logger.debug("log append failed", { trialId, error: String(error) });
      }),
    );
    return sending;
  };
  const timer = setInterval(() => void flush(), env.logFlushIntervalMs);
  timer.unref();
  return {
    append: (text: string) => {
      buffer = (buffer + text).slice(-MAX_BUFFER);
    },
    flush: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}

/**
 * The per-point checkpoint directory's variable, created on first use (ids are UUIDs: no path tricks).
 * Isolated, the study's directory and the point's belong to the project's uid, mode 0700.
 */
async function checkpointEnv(
  root: string | undefined,
  studyId: string,
  key: string,
  identity?: TrialIdentity,
) {
  if (root === undefined || !/^[A-Za-z0-9-]+$/.test(studyId) || !/^[A-Za-z0-9-]+$/.test(key)) return {};
  const dir = join(root, studyId, key);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (identity) {
    await ownPrivately(join(root, studyId), identity);
    await ownPrivately(dir, identity);
  }
  return { HPO_CHECKPOINT_DIR: dir };
}
