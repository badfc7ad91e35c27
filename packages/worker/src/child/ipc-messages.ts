import type { Params, StudyDefinition } from "@hpo/core";
import type { TrainerOutcome } from "@hpo/trainer";

/** Everything the per-trial child process needs to run one trainer. */
export interface ChildTrialJob {
  trialId: string;
  studyId: string;
  number: number;
  params: Params;
  seed: number;
  objectiveMetric: string;
  gpuIds: string[];
  backend: "auto" | "gpu" | "node" | "wasm" | "cpu";
  trainer: StudyDefinition["trainer"];
}

/** What a trainer returns, synthetic or not: the trainer package's outcome, sent back over IPC. */
export type ChildOutcome = TrainerOutcome;

/** Parent → child. */
export type ParentMessage =
  | { type: "start"; job: ChildTrialJob }
  | { type: "report-answer"; id: number; prune: boolean; stop: boolean }
  | { type: "abort"; reason: string };

/** Child → parent. */
export type ChildMessage =
  | { type: "report"; id: number; step: number; metrics: Record<string, number> }
  | { type: "log"; text: string }
  | { type: "result"; outcome: ChildOutcome }
  | { type: "error"; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** IPC messages cross a process boundary: check their shape instead of trusting a cast. */
export function parseChildMessage(value: unknown): ChildMessage | null {
  if (!isRecord(value) || typeof value.type !== "string") return null;
  switch (value.type) {
    case "report":
      return typeof value.id === "number" && typeof value.step === "number" && isRecord(value.metrics)
        ? (value as unknown as ChildMessage)
        : null;
    case "log":
      return typeof value.text === "string" ? (value as unknown as ChildMessage) : null;
    case "result":
      return isRecord(value.outcome) && typeof value.outcome.state === "string"
        ? (value as unknown as ChildMessage)
        : null;
    case "error":
      return typeof value.message === "string" ? (value as unknown as ChildMessage) : null;
    default:
      return null;
  }
}

export function parseParentMessage(value: unknown): ParentMessage | null {
  if (!isRecord(value) || typeof value.type !== "string") return null;
  if (value.type === "start" && isRecord(value.job)) return value as unknown as ParentMessage;
  if (value.type === "report-answer" && typeof value.id === "number")
    return value as unknown as ParentMessage;
  if (value.type === "abort" && typeof value.reason === "string") return value as unknown as ParentMessage;
  return null;
}
