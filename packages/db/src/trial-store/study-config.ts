import { HpoError, validateStudyDefinition } from "@hpo/core";
import type { StudyDefinition } from "@hpo/contracts";

/**
 * Reads a study's stored definition back into its typed form. The definition was validated when the
 * study was created; validating again here costs microseconds and means a row edited by hand (or written
 * by an older version) fails loudly with the offending paths instead of confusing the sampler.
 */
export function readStudyDefinition(definition: unknown): StudyDefinition {
  const result = validateStudyDefinition(definition);
  if (!result.ok) {
    throw new HpoError("invalid_stored_definition", "The stored study definition is no longer valid", {
      status: 500,
      details: { issues: result.issues },
    });
  }
  return result.value;
}

/** How many times a point is retried after its trial was abandoned (the budget's default: 2). */
export function maxRetriesOf(definition: StudyDefinition): number {
  return definition.budget.maxRetries ?? 2;
}
