import type { Direction, Params, Space, TrialState } from "@hpo/contracts";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import { isParamActive } from "../space/param-activity.js";
import { validateParams } from "../space/validate-params.js";

/**
 * Warm start, step 1: which trials of earlier studies can inform a new one. A prior trial is kept when it
 * completed with a finite value for every objective and its params fit the NEW space: every param active
 * under the new space's conditions is present with the right type, inside the bounds / among the choices
 * (validateParams). Params the new space does not have, or that are inactive under its conditions, are
 * ignored (stripped). Everything dropped or ignored is counted in a note, so the user sees why.
 *
 * The kept trials get negative numbers (−N … −1, in input order), so they can never be mistaken for the
 * new study's own trials; samplers receive them as `priorTrials`, never among `trials`, so they never count
 * toward the budget.
 */

export interface PriorTrialInput {
  params: Params;
  state: TrialState;
  value?: number;
  values?: number[];
}

export interface PreparedWarmStart {
  trials: HistoryTrial[];
  notes: string[];
}

/** HistoryTrial with the per-objective values samplers will read (the field lands with several objectives). */
type TrialWithValues = HistoryTrial & { values?: number[] };

function countNote(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function prepareWarmStart(
  space: Space,
  priorTrials: readonly PriorTrialInput[],
  directions: readonly Direction[],
): PreparedWarmStart {
  const objectives = Math.max(1, directions.length);
  const known = new Set(space.map((s) => s.name));
  const dropped = new Map<string, number>();
  const ignored = new Map<string, number>();
  const kept: TrialWithValues[] = [];
  for (const prior of priorTrials) {
    if (prior.state !== "complete") {
      countNote(dropped, `not complete (${prior.state})`);
      continue;
    }
    const values =
      prior.values !== undefined && prior.values.length > 0
        ? prior.values
        : prior.value === undefined
          ? []
          : [prior.value];
    if (values.length !== objectives || !values.every((v) => Number.isFinite(v))) {
      countNote(dropped, `no finite value for each of the ${objectives} objective(s)`);
      continue;
    }
    for (const name of Object.keys(prior.params))
      if (!known.has(name)) countNote(ignored, `param "${name}" is not in the new space`);
    // Keep the new space's params, in its order, that are active under its conditions.
    const params: Params = {};
    for (const spec of space) {
      const v = prior.params[spec.name];
      if (v === undefined) continue;
      if (isParamActive(spec, params)) params[spec.name] = v;
      else countNote(ignored, `param "${spec.name}" is inactive in the new space`);
    }
    const checked = validateParams(space, params);
    if (!checked.ok) {
      const issue = checked.issues[0];
      countNote(dropped, `param "${String(issue?.path[0] ?? "?")}" ${issue?.message ?? "invalid"}`);
      continue;
    }
    const trial: TrialWithValues = {
      number: 0,
      params: checked.params,
      state: "complete",
      value: values[0] ?? 0,
      reports: [],
    };
    if (objectives > 1) trial.values = [...values];
    kept.push(trial);
  }
  kept.forEach((t, i) => (t.number = i - kept.length));
  const notes = [`warm start: kept ${kept.length} of ${priorTrials.length} prior trials`];
  for (const [reason, count] of dropped) notes.push(`dropped ${count} prior trial(s): ${reason}`);
  for (const [reason, count] of ignored) notes.push(`ignored in ${count} prior trial(s): ${reason}`);
  return { trials: kept, notes };
}
