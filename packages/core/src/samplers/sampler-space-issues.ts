import type { SamplerConfig, Space } from "@hpo/contracts";
import { HpoError } from "../errors/hpo-error.js";
import type { ValidationIssue } from "../space/parse-space.js";
import { createGridSampler } from "./grid-sampler.js";

/**
 * Cross-field check of a sampler against a space, paths relative to the `sampler` object:
 * grid needs a resolution or explicit values for each float, its names must exist, its explicit values
 * must lie in the space and the whole grid must stay under MAX_GRID_POINTS.
 */
export function findSamplerSpaceIssues(config: SamplerConfig, space: Space): ValidationIssue[] {
  if (config.type !== "grid") return [];
  const issues: ValidationIssue[] = [];
  const names = new Set(space.map((s) => s.name));
  for (const name of Object.keys(config.values ?? {})) {
    if (!names.has(name)) issues.push({ path: ["values", name], message: `unknown param "${name}"` });
  }
  const resolution = config.resolution;
  if (resolution !== undefined && typeof resolution !== "number") {
    for (const name of Object.keys(resolution)) {
      if (!names.has(name)) issues.push({ path: ["resolution", name], message: `unknown param "${name}"` });
    }
  }
  for (const spec of space) {
    if (spec.type !== "float" || spec.step !== undefined || config.values?.[spec.name] !== undefined)
      continue;
    const has =
      typeof resolution === "number" || (resolution !== undefined && resolution[spec.name] !== undefined);
    if (!has) {
      issues.push({
        path: ["resolution"],
        message: `grid needs a resolution or explicit values for float param "${spec.name}"`,
      });
    }
  }
  if (issues.length > 0) return issues;
  try {
    createGridSampler(config, space);
  } catch (error) {
    if (!(error instanceof HpoError)) throw error;
    issues.push({ path: error.code === "grid_too_large" ? [] : ["values"], message: error.message });
  }
  return issues;
}
