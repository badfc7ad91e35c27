import { HpoError } from "@hpo/core";
import type { ParamValue, Space, TrialSort } from "@hpo/contracts";
import type { TrialState } from "@hpo/db";
import type { FieldRange, TrialFilter } from "./trial-list-query.js";

function queryError(key: string, message: string): HpoError {
  return new HpoError("validation_failed", `${key}: ${message}`, {
    status: 400,
    details: { issues: [{ in: "query", path: [key], message }] },
  });
}

function parseParamValue(space: Space, name: string, raw: string): ParamValue {
  const key = `param.${name}`;
  const spec = space.find((param) => param.name === name);
  if (!spec) throw queryError(key, "No such param in the study's space");
  if (spec.type === "categorical") {
    const choice = spec.choices.find((candidate) => String(candidate) === raw);
    if (choice === undefined) {
      throw queryError(key, `Not one of the choices ${spec.choices.map(String).join(", ")}`);
    }
    return choice;
  }
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) throw queryError(key, "Expected a number");
  return value;
}

function parseBound(key: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) throw queryError(key, "Expected a finite number");
  return value;
}

/** Collects `<prefix>Min.<name>` and `<prefix>Max.<name>` into one range per name. */
function rangesOf(query: Record<string, unknown>, prefix: "param" | "metric"): Map<string, FieldRange> {
  const ranges = new Map<string, FieldRange>();
  for (const [key, raw] of Object.entries(query)) {
    if (typeof raw !== "string") continue;
    for (const bound of ["Min", "Max"] as const) {
      const start = `${prefix}${bound}.`;
      if (!key.startsWith(start)) continue;
      const name = key.slice(start.length);
      if (name === "") throw queryError(key, "Name the param or metric after the dot");
      const range = ranges.get(name) ?? { name };
      if (bound === "Min") range.min = parseBound(key, raw);
      else range.max = parseBound(key, raw);
      ranges.set(name, range);
    }
  }
  return ranges;
}

export function trialFilterOf(
  query: Record<string, unknown> & {
    state?: TrialState[] | undefined;
    numberMin?: number | undefined;
    numberMax?: number | undefined;
    valueMin?: number | undefined;
    valueMax?: number | undefined;
  },
  space: Space,
): TrialFilter {
  const params: TrialFilter["params"][number][] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (!key.startsWith("param.") || typeof raw !== "string") continue;
    const name = key.slice("param.".length);
    params.push({ name, values: raw.split(",").map((text) => parseParamValue(space, name, text)) });
  }
  const paramRanges = rangesOf(query, "param");
  for (const name of paramRanges.keys()) {
    const spec = space.find((param) => param.name === name);
    if (!spec || spec.type === "categorical") {
      const key = query[`paramMin.${name}`] !== undefined ? `paramMin.${name}` : `paramMax.${name}`;
      throw queryError(
        key,
        spec
          ? "A categorical param has no range; use param.<name>=v1,v2"
          : "No such param in the study's space",
      );
    }
  }
  return {
    states: query.state,
    numberMin: query.numberMin,
    numberMax: query.numberMax,
    valueMin: query.valueMin,
    valueMax: query.valueMax,
    params,
    paramRanges: [...paramRanges.values()],
    metricRanges: [...rangesOf(query, "metric").values()],
  };
}

/** A sort on a param must name one of the study's params (a metric may be any reported name). */
export function checkTrialSort(sort: TrialSort, space: Space): void {
  const base = sort.replace(/^-/, "");
  if (!base.startsWith("param.")) return;
  const name = base.slice("param.".length);
  if (!space.some((param) => param.name === name))
    throw queryError("sort", `No param "${name}" in the study's space`);
}
