import type { SamplerConfig, Direction, Params, Space } from "@hpo/contracts";
import { HpoError } from "../errors/hpo-error.js";
import { createPruner } from "../pruners/index.js";
import type { PrunerConfigInput } from "@hpo/contracts";
import { createSampler } from "../samplers/create-sampler.js";
import type { HistoryTrial, JsonValue, TrialStateForSampler } from "../samplers/sampler-types.js";
import { parseSpace } from "../space/parse-space.js";
import { validateParams } from "../space/validate-params.js";

/**
 * The in-memory study facade (ask / tell / report / best / trials / enqueue), built on exactly the pure
 * sampler and pruner contracts the service uses, so a script and the scheduler get the same points.
 */
export interface CreateStudyOptions {
  /** The `space` array of a study definition (validated here). */
  space: unknown;
  direction?: Direction;
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
  number | { state: "complete"; value: number } | { state: "pruned"; value?: number } | { state: "failed" };

export interface Study {
  readonly space: Space;
  readonly direction: Direction;
  readonly seed: number;
  /** Suggests up to `count` trials (enqueued ones first); fewer only when the sampler is exhausted. */
  ask(count?: number): AskedTrial[];
  tell(number: number, result: TellInput): void;
  /** Records an intermediate value and returns the pruner's decision. */
  report(number: number, step: number, value: number): { prune: boolean; reason?: string };
  /** Queues fixed params (validated against the space); returns the trial number they will get. */
  enqueue(params: Record<string, unknown>): number;
  readonly best: { number: number; params: Params; value: number } | undefined;
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
  return copy;
}

export function createStudy(options: CreateStudyOptions): Study {
  const space = parseSpace(options.space);
  const direction = options.direction ?? "minimize";
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
      const r = typeof result === "number" ? { state: "complete" as const, value: result } : result;
      if (r.state === "complete") {
        trial.value = finite(r.value, "value");
      } else if (r.state === "pruned" && r.value !== undefined) {
        trial.value = finite(r.value, "value");
      }
      trial.state = r.state;
    },
    report(number, step, value) {
      const trial = find(number, ["running"]);
      finite(step, "step");
      finite(value, "value");
      const reports = trial.reports.filter((rep) => rep.step !== step);
      reports.push({ step, value });
      reports.sort((a, b) => a.step - b.step);
      trial.reports = reports;
      const decision = pruner.decide({
        direction,
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
        if (t.state !== "complete" || t.value === undefined) continue;
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
