import { HpoError } from "@hpo/core";
import type { ParamValue, Space } from "@hpo/contracts";
import type { TrialState } from "@hpo/db";
import type { TrialFilter } from "./trial-list-query.js";

function parseParamValue(space: Space, name: string, raw: string): ParamValue {
  const spec = space.find((param) => param.name === name);
  const fail = (message: string): never => {
    throw new HpoError("validation_failed", `param.${name}: ${message}`, {
      status: 400,
      details: { issues: [{ in: "query", path: [`param.${name}`], message }] },
    });
  };
  if (!spec) return fail("No such param in the study's space");
  if (spec.type === "categorical") {
    const choice = spec.choices.find((candidate) => String(candidate) === raw);
    return choice ?? fail(`Not one of the choices ${spec.choices.map(String).join(", ")}`);
  }
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) return fail("Expected a number");
  return value;
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
  return {
    states: query.state,
    numberMin: query.numberMin,
    numberMax: query.numberMax,
    valueMin: query.valueMin,
    valueMax: query.valueMax,
    params,
  };
}
