import { choiceKey, type ParamSpec, type ParamValue, type Params, type Space } from "@hpo/contracts";
import { isParamActive } from "./param-activity.js";
import { gridCount, gridValue } from "./grid-value.js";
import type { ValidationIssue } from "./parse-space.js";

export type ValidateParamsResult = { ok: true; params: Params } | { ok: false; issues: ValidationIssue[] };

const STEP_TOLERANCE = 1e-9;

/** Checks one value against its spec; returns the canonical value (float steps snapped) or an error message. */
function checkValue(spec: ParamSpec, value: ParamValue): { value: ParamValue } | { message: string } {
  if (spec.type === "categorical") {
    const key = choiceKey(value);
    const match = spec.choices.find((c) => choiceKey(c) === key);
    return match === undefined
      ? { message: `must be one of ${JSON.stringify(spec.choices)}` }
      : { value: match };
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return { message: "must be a finite number" };
  if (spec.type === "int" && !Number.isInteger(value)) return { message: "must be an integer" };
  if (value < spec.low || value > spec.high) return { message: `must lie in [${spec.low}, ${spec.high}]` };
  if (spec.step === undefined) return { value };
  const k = (value - spec.low) / spec.step;
  const nearest = Math.round(k);
  if (Math.abs(k - nearest) > STEP_TOLERANCE * Math.max(1, Math.abs(k))) {
    return { message: `must lie on the grid ${spec.low} + k * ${spec.step}` };
  }
  // Snap float grid values so that 0.30000000000000004 and 0.3 are the same trial.
  return {
    value:
      spec.type === "int"
        ? value
        : gridValue(spec.low, spec.step, nearest, gridCount(spec.low, spec.high, spec.step)),
  };
}

/**
 * Validates user-given params (manual / enqueued trials, `tell` with params) against the space:
 * every ACTIVE param present and valid, no inactive or unknown param. Paths are `[paramName]`.
 */
export function validateParams(
  space: Space,
  params: Readonly<Record<string, unknown>>,
): ValidateParamsResult {
  const issues: ValidationIssue[] = [];
  const out: Params = {};
  const known = new Set(space.map((s) => s.name));
  for (const name of Object.keys(params)) {
    if (!known.has(name)) issues.push({ path: [name], message: "unknown param" });
  }
  for (const spec of space) {
    const raw = params[spec.name];
    const active = isParamActive(spec, out);
    if (!active) {
      if (raw !== undefined)
        issues.push({ path: [spec.name], message: "param is inactive under its `when` condition" });
      continue;
    }
    if (raw === undefined) {
      issues.push({ path: [spec.name], message: "missing active param" });
      continue;
    }
    if (typeof raw !== "number" && typeof raw !== "string" && typeof raw !== "boolean") {
      issues.push({ path: [spec.name], message: "must be a number, string or boolean" });
      continue;
    }
    const checked = checkValue(spec, raw);
    if ("message" in checked) issues.push({ path: [spec.name], message: checked.message });
    else out[spec.name] = checked.value;
  }
  return issues.length === 0 ? { ok: true, params: out } : { ok: false, issues };
}
