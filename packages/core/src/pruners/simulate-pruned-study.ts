import type { Direction } from "@hpo/contracts";
import type { HistoryTrial, JsonValue } from "../samplers/sampler-types.js";
import type { Pruner } from "./pruner-types.js";

export interface SimulatePrunedStudyOptions {
  pruner: Pruner;
  direction: Direction;
  /** curves[n][k]: the value trial n reports at step firstStep + k. */
  curves: readonly (readonly number[])[];
  /** Trials running at once; each tick every running trial reports its next step, in trial-number order. */
  parallelism?: number;
  /** Step of the first report (default 1, an epoch count). */
  firstStep?: number;
  /** Pass the state through JSON.stringify / JSON.parse between decisions, as the service stores it. */
  roundTripState?: boolean;
}

export interface SimulatedStudy {
  trials: HistoryTrial[];
  /** The step at which each trial was pruned, or undefined when it ran to the end. */
  prunedAtStep: (number | undefined)[];
  /** Every prune reason, in decision order. */
  reasons: string[];
  state: JsonValue | null;
}

/**
 * Runs a whole study of pre-recorded learning curves through a pruner, the way the service does: every
 * report is stored first, then decided with the full history and the previous state; a pruned trial stops at
 * once. Deterministic, so pruners can be compared and tested over synthetic curves.
 */
export function simulatePrunedStudy(options: SimulatePrunedStudyOptions): SimulatedStudy {
  const { pruner, direction, curves } = options;
  const parallelism = options.parallelism ?? 1;
  const firstStep = options.firstStep ?? 1;
  const trials: HistoryTrial[] = curves.map((_, number) => ({
    number,
    params: {},
    state: "waiting",
    reports: [],
  }));
  const reports: { step: number; value: number }[][] = curves.map(() => []);
  const prunedAtStep: (number | undefined)[] = curves.map(() => undefined);
  const reasons: string[] = [];
  let state: JsonValue | null = null;
  let nextToStart = 0;
  const running: number[] = [];

  const snapshot = (): HistoryTrial[] => trials.map((t, n) => ({ ...t, reports: [...(reports[n] ?? [])] }));

  while (nextToStart < curves.length || running.length > 0) {
    while (running.length < parallelism && nextToStart < curves.length) {
      const trial = trials[nextToStart];
      if (trial !== undefined) trial.state = "running";
      running.push(nextToStart++);
    }
    for (const number of [...running]) {
      const trial = trials[number];
      const own = reports[number];
      const curve = curves[number];
      if (trial === undefined || own === undefined || curve === undefined) continue;
      const k = own.length;
      const value = curve[k];
      if (value !== undefined) {
        own.push({ step: firstStep + k, value });
        const decision = pruner.decide({
          direction,
          trial: { number, reports: [...own] },
          trials: snapshot(),
          state,
        });
        state =
          options.roundTripState === false
            ? decision.state
            : (JSON.parse(JSON.stringify(decision.state)) as JsonValue);
        if (decision.prune) {
          trial.state = "pruned";
          prunedAtStep[number] = firstStep + k;
          reasons.push(decision.reason ?? "");
        }
      }
      if (trial.state === "pruned" || own.length >= curve.length) {
        if (trial.state !== "pruned") {
          trial.state = "complete";
          const last = own[own.length - 1];
          if (last !== undefined) trial.value = last.value;
        }
        running.splice(running.indexOf(number), 1);
      }
    }
  }
  return { trials: snapshot(), prunedAtStep, reasons, state };
}
