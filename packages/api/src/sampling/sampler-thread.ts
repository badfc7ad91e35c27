/**
 * The body of a sampler worker thread (see sampler-pool.ts): one sampler call in, its result out. The
 * call crosses a thread boundary inside the API process by structured clone, built and read by the same
 * code on both sides (no process boundary, so no zod schema of its own).
 */
import {
  computeImportance,
  createSampler,
  type ImportanceInput,
  type ImportanceResult,
  type SampleResult,
} from "@hpo/core";
import type { SampleCall } from "@hpo/db";

export default function sample(call: SampleCall): SampleResult {
  return createSampler(call.sampler, call.request.space).sample(call.request);
}

/** Parameter importance (fANOVA over boosted trees: seconds on a large study), off the event loop too. */
export function importance(input: ImportanceInput): ImportanceResult {
  return computeImportance(input);
}
