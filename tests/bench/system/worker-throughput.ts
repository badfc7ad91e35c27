import { benchmarkProblems } from "@hpo/core";
import type { E2eStack } from "../../e2e/support/e2e-stack.js";
import { percentile } from "./figures.js";

export type SamplerChoice = "random" | "tpe" | "default";

export function samplerSpec(choice: SamplerChoice): Record<string, unknown> {
  return choice === "default" ? {} : { sampler: { type: choice } };
}

/** A Branin study run by the workers' synthetic trainer: one step, no delay (the issue's protocol). */
export function workerStudy(name: string, sampler: SamplerChoice, maxTrials: number, parallelism: number) {
  return {
    name,
    objective: { metric: "loss", direction: "minimize" },
    space: benchmarkProblems.branin.space,
    ...samplerSpec(sampler),
    pruner: { type: "none" },
    budget: { maxTrials, parallelism },
    trainer: { type: "synthetic", problem: "branin", steps: 1, stepDelayMs: 0 },
    seed: 7,
  };
}

export interface ThroughputRun {
  finished: number;
  failed: number;
  trialsPerSecond: number | null;
  seconds: number;
  capped: boolean;
}

const finishedStates = ["complete", "pruned", "failed"] as const;

/**
 * Runs a study to its budget or until `capSeconds` (then stops it), and measures trials per second from
 * the first trial queued to the last one finished, on the database's timestamps.
 */
export async function runWorkerStudy(
  stack: E2eStack,
  definition: ReturnType<typeof workerStudy>,
  capSeconds: number,
): Promise<ThroughputRun> {
  const studyId = await stack.createStudy(definition);
  const deadline = Date.now() + capSeconds * 1000;
  let capped = false;
  for (;;) {
    const state = await stack.studyState(studyId);
    if (state !== "running") break;
    if (Date.now() > deadline) {
      capped = true;
      await stack.user.ok("PATCH", `/v1/studies/${studyId}`, { action: "stop" });
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const rows = await stack.db.prisma.trial.findMany({
    where: { studyId, state: { in: [...finishedStates] } },
    select: { queuedAt: true, finishedAt: true, state: true },
  });
  const first = await stack.db.prisma.trial.aggregate({ where: { studyId }, _min: { queuedAt: true } });
  const start = first._min.queuedAt?.getTime();
  const end = Math.max(...rows.map((row) => row.finishedAt?.getTime() ?? 0));
  const seconds = start === undefined || rows.length === 0 ? 0 : (end - start) / 1000;
  return {
    finished: rows.length,
    failed: rows.filter((row) => row.state === "failed").length,
    trialsPerSecond: seconds > 0 ? rows.length / seconds : null,
    seconds,
    capped,
  };
}

/**
 * Scheduling latency: a parallelism-1 study on idle workers, so every trial after the first waits for the
 * previous one to finish; latency = next trial's start (claimed by a worker) − previous trial's finish.
 */
export async function measureSchedulingLatency(
  stack: E2eStack,
  trials: number,
  capSeconds: number,
): Promise<{ medianMs: number | null; p99Ms: number | null; samples: number }> {
  const studyId = await stack.createStudy(workerStudy(`latency-${Date.now()}`, "random", trials, 1));
  await runUntilDone(stack, studyId, capSeconds);
  const rows = await stack.db.prisma.trial.findMany({
    where: { studyId, state: { in: [...finishedStates] } },
    orderBy: { number: "asc" },
    select: { startedAt: true, finishedAt: true },
  });
  const gaps: number[] = [];
  for (let index = 1; index < rows.length; index++) {
    const previous = rows[index - 1]?.finishedAt?.getTime();
    const next = rows[index]?.startedAt?.getTime();
    if (previous !== undefined && next !== undefined) gaps.push(next - previous);
  }
  return { medianMs: percentile(gaps, 50), p99Ms: percentile(gaps, 99), samples: gaps.length };
}

async function runUntilDone(stack: E2eStack, studyId: string, capSeconds: number): Promise<void> {
  const deadline = Date.now() + capSeconds * 1000;
  while ((await stack.studyState(studyId)) === "running") {
    if (Date.now() > deadline) {
      await stack.user.ok("PATCH", `/v1/studies/${studyId}`, { action: "stop" });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
