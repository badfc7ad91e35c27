import { HpoError, validateStudyDefinition } from "@hpo/core";
import type { StudyDefinition } from "@hpo/contracts";

/**
 * Validated definitions by their JSON text. The hot path (ask, report, tell) reads the same few studies'
 * definitions again and again: serializing one costs about 10 µs, validating it with zod 150–400 µs. Keyed
 * by content, not by study id, so an edited budget (PATCH) or a row edited by hand is validated afresh.
 * Callers treat the returned definition as read-only (it is shared).
 */
const validated = new Map<string, StudyDefinition>();
const validatedLimit = 1_000;

/**
 * Reads a study's stored definition back into its typed form. The definition was validated when the
 * study was created; validating again here (once per distinct definition, see `validated`) means a row
 * edited by hand (or written by an older version) fails loudly with the offending paths instead of
 * confusing the sampler.
 */
export function readStudyDefinition(definition: unknown): StudyDefinition {
  const key = JSON.stringify(definition);
  const cached = validated.get(key);
  if (cached) return cached;
  const parsed = validateFresh(definition);
  if (validated.size >= validatedLimit) validated.clear();
  validated.set(key, parsed);
  return parsed;
}

function validateFresh(definition: unknown): StudyDefinition {
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
