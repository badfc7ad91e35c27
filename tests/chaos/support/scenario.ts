import { execFileSync } from "node:child_process";
import { expect } from "vitest";
import { E2eStack, type StackOptions } from "../../e2e/support/e2e-stack.js";
import {
  checkHistory,
  invariantDescriptions,
  violationCount,
  type CheckInput,
  type Violations,
} from "./checkers.js";
import { recordFigures } from "./figures.js";
import { History } from "./history.js";
import { chaosProfile } from "./profile.js";

/** The direct children of a process (a worker's trainer processes). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** A whole stack with the profile's timings (short leases in `fast`). */
export function startChaosStack(options: StackOptions): Promise<E2eStack> {
  return E2eStack.start({ ...options, env: { ...chaosProfile().env, ...options.env } });
}

/**
 * Runs the checkers over the history and what Postgres holds, records the scenario's figures for
 * docs/reliability.md, and fails the test on any violation.
 */
export async function settleAndCheck(
  stack: E2eStack,
  studyIds: readonly string[],
  history: History,
  scenario: { id: string; title: string; figures: Record<string, number | string> },
  extra: Omit<CheckInput, "trials" | "history"> & {
    /** Complete trials per study where the studies' maxTrials differ (wins over expectedComplete). */
    expectedCompleteByStudy?: Readonly<Record<string, number>>;
  } = {},
): Promise<Violations> {
  const { expectedCompleteByStudy, ...common } = extra;
  const trials = await stack.db.prisma.trial.findMany({
    where: { studyId: { in: [...studyIds] } },
    select: { id: true, number: true, state: true, retryOf: true, studyId: true },
  });
  // Each study is checked against its own trials' entries; one found in no study counts (once) as lost.
  const studyOf = new Map(trials.map((trial) => [trial.id, trial.studyId]));
  const historyOf = (studyId: string, index: number): History => {
    const scoped = new History();
    scoped.entries.push(
      ...history.entries.filter((entry) => {
        if (entry.trialId === undefined) return true;
        const owner = studyOf.get(entry.trialId);
        return owner === studyId || (owner === undefined && index === 0);
      }),
    );
    return scoped;
  };
  const perStudy = studyIds.map((studyId, index) =>
    checkHistory({
      ...common,
      trials: trials.filter((trial) => trial.studyId === studyId),
      history: historyOf(studyId, index),
      ...(expectedCompleteByStudy?.[studyId] === undefined
        ? {}
        : { expectedComplete: expectedCompleteByStudy[studyId] }),
    }),
  );
  const violations = perStudy.reduce<Violations>(
    (all, next) => ({
      lost: [...all.lost, ...next.lost],
      duplicates: [...all.duplicates, ...next.duplicates],
      gaps: [...all.gaps, ...next.gaps],
      multipleTerminal: [...all.multipleTerminal, ...next.multipleTerminal],
      lateWritesAccepted: [...new Set([...all.lateWritesAccepted, ...next.lateWritesAccepted])],
      stuck: [...all.stuck, ...next.stuck],
      orphans: [...new Set([...all.orphans, ...next.orphans])],
      wrongCount: [...all.wrongCount, ...next.wrongCount],
    }),
    {
      lost: [],
      duplicates: [],
      gaps: [],
      multipleTerminal: [],
      lateWritesAccepted: [],
      stuck: [],
      orphans: [],
      wrongCount: [],
    },
  );
  recordFigures({
    id: scenario.id,
    title: scenario.title,
    figures: {
      ...scenario.figures,
      "lost trials": violations.lost.length,
      "duplicate numbers": violations.duplicates.length,
      "orphan trainer processes": violations.orphans.length,
      "faults injected": history.faults().length,
    },
    violations,
    invariants: Object.entries(invariantDescriptions)
      .filter(
        ([key]) =>
          key !== "wrongCount" ||
          extra.expectedComplete !== undefined ||
          expectedCompleteByStudy !== undefined,
      )
      .map(([, text]) => text),
  });
  expect(violations, JSON.stringify(violations)).toEqual(
    expect.objectContaining({ lost: [], duplicates: [], gaps: [], multipleTerminal: [] }),
  );
  expect(violationCount(violations), JSON.stringify(violations)).toBe(0);
  return violations;
}
