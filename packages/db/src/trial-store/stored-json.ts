import type { Metrics, Params, ParamValue } from "@hpo/contracts";
import type { Prisma } from "../generated/prisma/client.js";

/**
 * Readers of the JSON columns the trial store writes (params, metrics). What is written was validated on
 * the way in; these checks are the cheap structural half of that validation, so a row edited by hand
 * fails loudly here instead of confusing a sampler or a client, without paying for a schema per row.
 */
function isParamValue(value: unknown): value is ParamValue {
  return typeof value === "number" || typeof value === "string" || typeof value === "boolean";
}

function isJsonObject(value: Prisma.JsonValue): value is Prisma.JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readParams(value: Prisma.JsonValue): Params {
  if (!isJsonObject(value)) throw new Error("stored params are not a JSON object");
  const params: Params = {};
  for (const [name, entry] of Object.entries(value)) {
    if (!isParamValue(entry)) throw new Error(`stored param ${name} is not a number, string or boolean`);
    params[name] = entry;
  }
  return params;
}

export function readStringList(value: Prisma.JsonValue): string[] {
  if (!Array.isArray(value)) throw new Error("stored list is not a JSON array");
  return value.map((entry) => {
    if (typeof entry !== "string") throw new Error("stored list holds a non-string");
    return entry;
  });
}

export function readMetrics(value: Prisma.JsonValue | null): Metrics | null {
  if (value === null) return null;
  if (!isJsonObject(value)) throw new Error("stored metrics are not a JSON object");
  const metrics: Metrics = {};
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry === "number") metrics[name] = entry;
  }
  return metrics;
}
