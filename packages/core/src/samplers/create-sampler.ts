import { type Space, samplerConfigSchema, type SamplerConfig } from "@hpo/contracts";
import { HpoError } from "../errors/hpo-error.js";
import { createAutoSampler } from "./auto-sampler.js";
import { createGridSampler } from "./grid-sampler.js";
import { createRandomSampler } from "./random-sampler.js";
import type { Sampler } from "./sampler-types.js";
import { createSobolSampler } from "./sobol-sampler.js";
import { createNsga2Sampler } from "./nsga2-sampler.js";
import { createTpeSampler } from "./tpe/tpe-sampler.js";
import { createGpSampler } from "../gp/index.js";

/** Every sampler type this build can create (the conformance suite iterates over it). */
export const availableSamplerTypes: readonly SamplerConfig["type"][] = [
  "auto",
  "grid",
  "random",
  "sobol",
  "tpe",
  "gp",
  "nsga2",
];

/**
 * Builds the sampler a study definition asks for. The config is re-validated (it may come straight from
 * a stored JSON column), and a bad one is an HpoError "invalid_sampler" with the path of the problem.
 */
export function createSampler(config: SamplerConfig, space: Space): Sampler {
  const parsed = samplerConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
    throw new HpoError("invalid_sampler", `invalid sampler config: ${issues[0]?.message ?? ""}`, {
      status: 400,
      details: { issues },
    });
  }
  const c = parsed.data;
  switch (c.type) {
    case "auto":
      return createAutoSampler(
        space,
        (s) => createGpSampler({}, s),
        (s) => createNsga2Sampler({}, s),
      );
    case "grid":
      return createGridSampler(c, space);
    case "random":
      return createRandomSampler(space);
    case "sobol":
      return createSobolSampler(c, space);
    case "tpe":
      return createTpeSampler(c, space);
    case "gp":
      return createGpSampler(c, space);
    case "nsga2":
      return createNsga2Sampler(c, space);
  }
}
