import type { SamplerConfig, Direction, Params, Space } from "@hpo/contracts";
import { HpoError } from "../errors/hpo-error.js";
import { createPruner } from "../pruners/index.js";
import type { PrunerConfigInput } from "@hpo/contracts";
import { createSampler } from "../samplers/create-sampler.js";
import type { HistoryTrial, JsonValue, TrialStateForSampler } from "../samplers/sampler-types.js";
import { parseSpace } from "../space/parse-space.js";
import { validateParams } from "../space/validate-params.js";
import { isFeasible } from "../constraints/constraint-violations.js";
import { paretoFront } from "../multi-objective/pareto.js";

/**
 * The in-memory study facade (ask / tell / report / best / trials / enqueue), built on exactly the pure
 * sampler and pruner contracts the service uses, so a script and the scheduler get the same points.
 */
export interface CreateStudyOptions {
  /** The `space` array of a study definition (validated here). */
  space: unknown;
  direction?: Direction;
  /** Several objectives (2 or more): one direction each; `direction` is then directions[0]. */
  directions?: readonly Direction[];
  /** Number of constraints each tell reports violations for (Optuna's convention, <= 0 feasible). */
  constraintCount?: number;
  sampler?: SamplerConfig;
  pruner?: PrunerConfigInput;
  seed?: number;
  budget?: { maxTrials: number; parallelism: number };
  /** Stored history to continue from (a rebuilt study continues as if never interrupted). */
  trials?: readonly StudyTrial[];
  samplerState?: JsonValue | null;
  prunerState?: JsonValue | null;
  /** Warm start: trials of earlier studies (prepareWarmStart), given to the sampler on every ask. */
  priorTrials?: readonly HistoryTrial[];
}

export interface StudyTrial extends HistoryTrial {
  /** "manual" for enqueued params, else the sampler's origin ("tpe", "sobol", ...). */
  origin: string;
}

export interface AskedTrial {
  number: number;
  params: Params;
}

export type TellInput =
  | number
  | number[]
  | { state: "complete"; value: number; constraintViolations?: number[] }
  | { state: "complete"; values: number[]; constraintViolations?: number[] }
  | { state: "pruned"; value?: number }
  | { state: "failed" };

export interface Study {
  readonly space: Space;
  readonly direction: Direction;
  readonly directions: readonly Direction[];
  readonly seed: number;
  /** Suggests up to `count` trials (enqueued ones first); fewer only when the sampler is exhausted. */
  ask(count?: number): AskedTrial[];
  tell(number: number, result: TellInput): void;
  /** Records an intermediate value (a vector with several objectives) and returns the pruner's decision. */
  report(number: number, step: number, value: number | number[]): { prune: boolean; reason?: string };
  /** Queues fixed params (validated against the space); returns the trial number they will get. */
  enqueue(params: Record<string, unknown>): number;
  /** Best FEASIBLE trial (single objective; with several objectives: undefined, see paretoFront). */
  readonly best: { number: number; params: Params; value: number } | undefined;
  /** The non-dominated feasible complete trials (any number of objectives), in number order. */
  readonly paretoFront: readonly StudyTrial[];
  readonly trials: readonly StudyTrial[];
  readonly exhausted: boolean;
  readonly samplerState: JsonValue | null;
  readonly prunerState: JsonValue | null;
}

/** Stored state always goes through JSON, so a state that would not survive the database fails here too. */
function roundTrip(state: JsonValue | null): JsonValue | null {
  return state === null ? null : (JSON.parse(JSON.stringify(state)) as JsonValue);
}

function copyTrial(t: StudyTrial): StudyTrial {
  const copy: StudyTrial = {
    number: t.number,
    params: { ...t.params },
    state: t.state,
    reports: t.reports.map((r) => ({ ...r })),
    origin: t.origin,
  };
  if (t.value !== undefined) copy.value = t.value;
  if (t.values !== undefined) copy.values = [...t.values];
  if (t.constraintViolations !== undefined) copy.constraintViolations = [...t.constraintViolations];
  return copy;
}

export function createStudy(options: CreateStudyOptions): Study {
  const space = parseSpace(options.space);
  const directions: readonly Direction[] =
    options.directions !== undefined && options.directions.length > 0
      ? [...options.directions]
      : [options.direction ?? "minimize"];
  const direction = directions[0] ?? "minimize";
  const multi = directions.length >= 2;
  const constraintCount = options.constraintCount ?? 0;
  const seed = options.seed ?? 0;
  const sampler = createSampler(options.sampler ?? { type: "auto" }, space);
  const pruner = createPruner(options.pruner ?? { type: "none" });
  const trials: StudyTrial[] = (options.trials ?? []).map(copyTrial);
  trials.forEach((t, i) => {
    if (t.number !== i)
      throw new HpoError("invalid_history", `trial ${i} has number ${t.number}`, { status: 400 });
  });
  let samplerState = roundTrip(options.samplerState ?? null);
  let prunerState = roundTrip(options.prunerState ?? null);
  let exhausted = false;

  const find = (number: number, states: readonly TrialStateForSampler[]): StudyTrial => {
    const trial = trials[number];
    if (trial === undefined || !Number.isInteger(number)) {
      throw new HpoError("trial_not_found", `no trial number ${number}`, { status: 404 });
    }
    if (!states.includes(trial.state)) {
      throw new HpoError("trial_not_running", `trial ${number} is ${trial.state}`, {
        status: 409,
        details: { state: trial.state },
      });
    }
    return trial;
  };
  const finite = (value: unknown, what: string): number => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new HpoError("invalid_value", `${what} must be a finite number`, { status: 400 });
    }
    return value;
  };

  return {
    space,
    direction,
    directions,
    seed,
    ask(count = 1) {
      if (!Number.isInteger(count) || count < 1) {
        throw new HpoError("invalid_count", "count must be a positive integer", { status: 400 });
      }
      const asked: AskedTrial[] = [];
      for (const t of trials) {
        if (asked.length >= count) break;
        if (t.state !== "waiting") continue;
        t.state = "running";
        asked.push({ number: t.number, params: { ...t.params } });
      }
      const remaining = count - asked.length;
      if (remaining > 0 && !exhausted) {
        const result = sampler.sample({
          space,
          direction,
          ...(multi ? { directions } : {}),
          ...(constraintCount > 0 ? { constraintCount } : {}),
          trials: trials.map(copyTrial),
          count: remaining,
          seed,
          firstNumber: trials.length,
          state: samplerState,
          ...(options.budget === undefined ? {} : { budget: options.budget }),
          ...(options.priorTrials === undefined ? {} : { priorTrials: options.priorTrials }),
        });
        samplerState = roundTrip(result.state);
        exhausted = result.exhausted;
        for (const params of result.suggestions) {
          const number = trials.length;
          trials.push({ number, params, state: "running", reports: [], origin: result.origin });
          asked.push({ number, params: { ...params } });
        }
      }
      return asked;
    },
    tell(number, result) {
      const trial = find(number, ["running"]);
      const r =
        typeof result === "number"
          ? { state: "complete" as const, value: result }
          : Array.isArray(result)
            ? { state: "complete" as const, values: result }
            : result;
      if (r.state === "complete") {
        const values = "values" in r ? r.values : [r.value];
        if (values.length !== directions.length)
          throw new HpoError("invalid_value", `expected ${directions.length} values, got ${values.length}`, {
            status: 400,
          });
        values.forEach((v, i) => finite(v, `values[${i}]`));
        const violations = r.constraintViolations;
        if (violations !== undefined) {
          if (violations.length !== constraintCount)
            throw new HpoError("invalid_value", `expected ${constraintCount} constraint values`, {
              status: 400,
            });
          violations.forEach((v, i) => finite(v, `constraintViolations[${i}]`));
          trial.constraintViolations = [...violations];
        }
        trial.value = values[0] ?? Number.NaN;
        if (multi) trial.values = [...values];
      } else if (r.state === "pruned" && r.value !== undefined) {
        trial.value = finite(r.value, "value");
      }
      trial.state = r.state;
    },
    report(number, step, value) {
      const trial = find(number, ["running"]);
      finite(step, "step");
      const vector = Array.isArray(value) ? value : [value];
      vector.forEach((v) => finite(v, "value"));
      const first = vector[0] ?? Number.NaN;
      const reports = trial.reports.filter((rep) => rep.step !== step);
      reports.push(
        Array.isArray(value) ? { step, value: first, values: [...value] } : { step, value: first },
      );
      reports.sort((a, b) => a.step - b.step);
      trial.reports = reports;
      const decision = pruner.decide({
        direction,
        ...(multi ? { directions } : {}),
        trial: { number, reports },
        trials: trials.map(copyTrial),
        state: prunerState,
      });
      prunerState = roundTrip(decision.state);
      return decision.reason === undefined
        ? { prune: decision.prune }
        : { prune: decision.prune, reason: decision.reason };
    },
    enqueue(params) {
      const check = validateParams(space, params);
      if (!check.ok) {
        const first = check.issues[0];
        throw new HpoError(
          "invalid_params",
          `invalid params${first ? ` at ${JSON.stringify(first.path)}: ${first.message}` : ""}`,
          {
            status: 400,
            details: { issues: check.issues },
          },
        );
      }
      const number = trials.length;
      trials.push({ number, params: check.params, state: "waiting", reports: [], origin: "manual" });
      return number;
    },
    get best() {
      let best: StudyTrial | undefined;
      for (const t of trials) {
        if (multi || t.state !== "complete" || t.value === undefined) continue;
        if (!isFeasible(t.constraintViolations)) continue;
        if (
          best?.value === undefined ||
          (direction === "minimize" ? t.value < best.value : t.value > best.value)
        )
          best = t;
      }
      return best?.value === undefined
        ? undefined
        : { number: best.number, params: { ...best.params }, value: best.value };
    },
    get paretoFront() {
      const complete = trials.filter((t) => t.state === "complete");
      const points = complete.map((t) => ({
        values: t.values ?? (t.value === undefined ? [] : [t.value]),
        feasible: isFeasible(t.constraintViolations),
      }));
      return paretoFront(points, directions).flatMap((i) => {
        const t = complete[i];
        return t === undefined ? [] : [copyTrial(t)];
      });
    },
    get trials() {
      return trials.map(copyTrial);
    },
    get exhausted() {
      return exhausted && !trials.some((t) => t.state === "waiting");
    },
    get samplerState() {
      return samplerState;
    },
    get prunerState() {
      return prunerState;
    },
  };
}
