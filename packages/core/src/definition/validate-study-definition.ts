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
}

/** Problems that involve several fields, each reported at the path of the field to change. */
function findCrossFieldIssues({ space, sampler, trainer }: DefinitionParts): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
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
  return {
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
    const issues = findCrossFieldIssues(parsed.data);
    return issues.length === 0
      ? { ok: true, value: applyDerivedDefaults(parsed.data) }
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
  findCrossFieldIssues(parseValidParts(input)).forEach(add);
  // NaN / ±Infinity wherever zod did not already name the field (e.g. deep inside a union).
  const reported = new Set(issues.map((i) => pathKey(i.path)));
  for (const issue of findNonFiniteNumbers(input)) if (!reported.has(pathKey(issue.path))) add(issue);
  return { ok: false, issues };
}
