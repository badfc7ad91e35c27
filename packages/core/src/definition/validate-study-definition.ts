import {
  samplerConfigSchema,
  type SamplerConfig,
  spaceSchema,
  type Space,
  studyDefinitionSchema,
  type StudyDefinition,
  trainerSpecSchema,
  type TrainerSpec,
} from "@hpo/contracts";
import { findSamplerSpaceIssues } from "../samplers/sampler-space-issues.js";
import { validateParams } from "../space/validate-params.js";
import { applyDerivedDefaults } from "./derive-defaults.js";
import { checkSyntheticSpace } from "./check-synthetic-space.js";
import { checkTfjsHyperparameters } from "./check-tfjs-hyperparameters.js";
import {
  describeZodIssues,
  findNonFiniteNumbers,
  readAtPath,
  type DefinitionIssue,
} from "./definition-issues.js";

export type ValidateStudyDefinitionResult =
  { ok: true; value: StudyDefinition } | { ok: false; issues: DefinitionIssue[] };

interface DefinitionParts {
  space: Space | undefined;
  sampler: SamplerConfig | undefined;
  trainer: TrainerSpec | undefined;
  initialTrials?: readonly Readonly<Record<string, unknown>>[] | undefined;
  maxTrials?: number | undefined;
}

/** Each initial trial must fit the space (its issues under ["initialTrials", i, ...]), and the budget hold them. */
function findInitialTrialIssues(parts: DefinitionParts): DefinitionIssue[] {
  const { space, initialTrials, maxTrials } = parts;
  if (space === undefined || initialTrials === undefined) return [];
  const issues: DefinitionIssue[] = [];
  initialTrials.forEach((params, index) => {
    const checked = validateParams(space, params);
    if (!checked.ok) {
      for (const issue of checked.issues) {
        issues.push({ path: ["initialTrials", index, ...issue.path], message: issue.message });
      }
    }
  });
  if (maxTrials !== undefined && initialTrials.length > maxTrials) {
    issues.push({
      path: ["initialTrials"],
      message: `${initialTrials.length} initial trials exceed budget.maxTrials (${maxTrials})`,
    });
  }
  return issues;
}

/** The initial trials as validateParams normalizes them (inactive conditional params dropped). */
function normalizeInitialTrials(definition: StudyDefinition): StudyDefinition {
  if (definition.initialTrials === undefined) return definition;
  const initialTrials = definition.initialTrials.map((params) => {
    const checked = validateParams(definition.space, params);
    return checked.ok ? checked.params : params;
  });
  return { ...definition, initialTrials };
}

/** Problems that involve several fields, each reported at the path of the field to change. */
function findCrossFieldIssues(parts: DefinitionParts): DefinitionIssue[] {
  const { space, sampler, trainer } = parts;
  const issues: DefinitionIssue[] = [...findInitialTrialIssues(parts)];
  if (space !== undefined && sampler !== undefined) {
    for (const issue of findSamplerSpaceIssues(sampler, space)) {
      issues.push({ path: ["sampler", ...issue.path], message: issue.message });
    }
  }
  if (trainer?.type === "tfjs") issues.push(...checkTfjsHyperparameters(space, trainer.fixed));
  if (trainer?.type === "synthetic") issues.push(...checkSyntheticSpace(space, trainer));
  return issues;
}

/** The fields that parse on their own, so cross-field problems are reported alongside unrelated errors. */
function parseValidParts(input: unknown): DefinitionParts {
  const space = spaceSchema.safeParse(readAtPath(input, ["space"]));
  const rawSampler = readAtPath(input, ["sampler"]);
  const sampler = samplerConfigSchema.safeParse(rawSampler ?? { type: "auto" });
  const rawTrainer = readAtPath(input, ["trainer"]);
  const trainer = trainerSpecSchema.safeParse(rawTrainer ?? { type: "external" });
  const initialTrials = readAtPath(input, ["initialTrials"]);
  const maxTrials = readAtPath(input, ["budget", "maxTrials"]);
  return {
    initialTrials: Array.isArray(initialTrials)
      ? initialTrials.map((item: unknown) =>
          typeof item === "object" && item !== null && !Array.isArray(item) ? { ...item } : {},
        )
      : undefined,
    maxTrials: typeof maxTrials === "number" ? maxTrials : undefined,
    space: space.success ? space.data : undefined,
    sampler: sampler.success ? sampler.data : undefined,
    trainer: trainer.success ? trainer.data : undefined,
  };
}

function pathKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

/**
 * Validates an untrusted study definition (REST body, CLI YAML file, in-process caller): the one shared
 * check behind every entry point. On success the value has every default applied; on failure every problem
 * found is listed with its JSON path (e.g. ["space", 3, "high"]) and a plain sentence. Never throws.
 */
export function validateStudyDefinition(input: unknown): ValidateStudyDefinitionResult {
  const parsed = studyDefinitionSchema.safeParse(input);
  if (parsed.success) {
    const issues = findCrossFieldIssues({ ...parsed.data, maxTrials: parsed.data.budget.maxTrials });
    return issues.length === 0
      ? { ok: true, value: normalizeInitialTrials(applyDerivedDefaults(parsed.data)) }
      : { ok: false, issues };
  }
  const issues: DefinitionIssue[] = [];
  const seen = new Set<string>();
  const add = (issue: DefinitionIssue) => {
    const key = `${pathKey(issue.path)} ${issue.message}`;
    if (!seen.has(key)) issues.push(issue);
    seen.add(key);
  };
  describeZodIssues(parsed.error.issues, input).forEach(add);
  // The schema's own check for a missing objective runs only once every field parses: say it here too.
  if (readAtPath(input, ["objective"]) === undefined && readAtPath(input, ["objectives"]) === undefined) {
    add({ path: ["objective"], message: "is required (or give objectives)" });
  }
  findCrossFieldIssues(parseValidParts(input)).forEach(add);
  // NaN / ±Infinity wherever zod did not already name the field (e.g. deep inside a union).
  const reported = new Set(issues.map((i) => pathKey(i.path)));
  for (const issue of findNonFiniteNumbers(input)) if (!reported.has(pathKey(issue.path))) add(issue);
  return { ok: false, issues };
}
