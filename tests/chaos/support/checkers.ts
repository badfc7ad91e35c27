import { isProcessAlive } from "../../e2e/support/service-process.js";
import { findNumberingProblems } from "../../e2e/support/invariants.js";
import type { History } from "./history.js";

/** What the checkers read of each trial (a Prisma Trial row has all of it). */
export interface CheckedTrial {
  id: string;
  number: number;
  state: string;
  retryOf: string | null;
}

export interface CheckInput {
  trials: readonly CheckedTrial[];
  history: History;
  /** Trainer process ids seen during the scenario: none may outlive the settle. */
  trainerPids?: readonly number[];
  /** Complete trials the study must end with (its maxTrials), when it ran to completion. */
  expectedComplete?: number;
}

export interface Violations {
  lost: string[];
  duplicates: string[];
  gaps: string[];
  multipleTerminal: string[];
  lateWritesAccepted: string[];
  stuck: string[];
  orphans: number[];
  wrongCount: string[];
}

export const invariantDescriptions: Readonly<Record<keyof Violations, string>> = {
  lost: "no lost trial: every trial the system accepted (created, asked, claimed) ends terminal",
  duplicates: "no duplicate trial number in a study",
  gaps: "no gap: numbers are 0..n-1",
  multipleTerminal: "at most one complete result per point (a trial and its retries)",
  lateWritesAccepted: "no late write accepted: a write with a lost lease answers 409 and changes nothing",
  stuck: "no trial left queued/running/waiting once the study settled (no live job or lease behind it)",
  orphans: "no trainer process outlives its worker",
  wrongCount: "the study ends with exactly maxTrials complete trials",
};

const terminal = new Set(["complete", "pruned", "failed", "abandoned", "cancelled"]);

/** The first trial of each retry chain (retryOf links an attempt to the one it retries). */
function rootOf(trial: CheckedTrial, byId: ReadonlyMap<string, CheckedTrial>): string {
  let current = trial;
  for (let hops = 0; current.retryOf !== null && hops < 1000; hops++) {
    const previous = byId.get(current.retryOf);
    if (!previous) break;
    current = previous;
  }
  return current.id;
}

/** Runs every checker after the system settled; an empty list everywhere means no violation. */
export function checkHistory(input: CheckInput): Violations {
  const { trials, history } = input;
  const byId = new Map(trials.map((trial) => [trial.id, trial]));
  const numbering = findNumberingProblems(
    trials.map((trial) => ({ number: trial.number, state: trial.state, startedAt: null, finishedAt: null })),
  );
  const accepted = new Set(
    history.entries.filter((entry) => entry.kind === "op" && entry.trialId).map((entry) => entry.trialId),
  );
  const lost = [...accepted]
    .filter((id): id is string => id !== undefined)
    .filter((id) => !terminal.has(byId.get(id)?.state ?? "missing"))
    .map((id) => `${id} (${byId.get(id)?.state ?? "missing"})`);
  const completesByPoint = new Map<string, number>();
  for (const trial of trials) {
    if (trial.state !== "complete") continue;
    const root = rootOf(trial, byId);
    completesByPoint.set(root, (completesByPoint.get(root) ?? 0) + 1);
  }
  const complete = trials.filter((trial) => trial.state === "complete").length;
  return {
    lost,
    duplicates: numbering.filter((problem) => problem.startsWith("duplicate")),
    gaps: numbering.filter((problem) => !problem.startsWith("duplicate")),
    multipleTerminal: [...completesByPoint]
      .filter(([, count]) => count > 1)
      .map(([root, count]) => `${root}: ${count}`),
    lateWritesAccepted: history.entries
      .filter((entry) => entry.kind === "late-write" && (entry.status ?? 0) < 300)
      .map((entry) => `${entry.what} ${entry.trialId ?? ""} -> ${entry.status ?? "?"}`),
    stuck: trials
      .filter((trial) => !terminal.has(trial.state))
      .map((trial) => `#${trial.number} ${trial.state}`),
    orphans: (input.trainerPids ?? []).filter((pid) => isProcessAlive(pid)),
    wrongCount:
      input.expectedComplete === undefined || complete === input.expectedComplete
        ? []
        : [`${complete} complete, expected ${input.expectedComplete}`],
  };
}

export function violationCount(violations: Violations): number {
  const lists: readonly (readonly unknown[])[] = Object.values(violations);
  return lists.reduce((sum, list) => sum + list.length, 0);
}
