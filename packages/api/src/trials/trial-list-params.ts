import { HpoError, type ParamValue, type Space } from "@hpo/core";
import type { TrialState } from "@hpo/db";
import { z } from "zod";
import { trialSorts, type TrialFilter } from "./trial-list-query.js";

export const trialStates = [
  "waiting",
  "queued",
  "running",
  "complete",
  "pruned",
  "failed",
  "abandoned",
] as const;

const finite = z.coerce.number().refine(Number.isFinite, "Expected a finite number");

/** Query of GET /v1/studies/:id/trials; `param.<name>=v1,v2` filters on param values. */
const knownKeys = new Set([
  "state",
  "numberMin",
  "numberMax",
  "valueMin",
  "valueMax",
  "sort",
  "limit",
  "cursor",
  "format",
  "include",
]);

export const trialListQuery = z
  .object({
    state: z
      .string()
      .max(200)
      .transform((text) => text.split(","))
      .pipe(z.array(z.enum(trialStates)))
      .optional()
      .describe("Comma-separated trial states"),
    numberMin: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
    numberMax: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
    valueMin: finite.optional(),
    valueMax: finite.optional(),
    sort: z.enum(trialSorts).default("number"),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
    format: z.enum(["json", "csv"]).default("json"),
    include: z.enum(["reports"]).optional(),
  })
  .catchall(z.string().max(1000))
  .superRefine((query, ctx) => {
    for (const key of Object.keys(query)) {
      if (!knownKeys.has(key) && !key.startsWith("param.")) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "Unknown query parameter (param.<name> filters params)",
        });
      }
    }
  });

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
