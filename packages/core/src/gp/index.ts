import type { Space } from "@hpo/contracts";
import type { Sampler } from "../samplers/sampler-types.js";
import { withGpWarmStart } from "../warm-start/gp-warm-start.js";
import {
  createGpSampler as createPlainGpSampler,
  type GpBatchStrategy,
  type GpSamplerOptions,
} from "./gp-sampler.js";

export type { GpSamplerOptions } from "./gp-sampler.js";

/** The GP sampler; with `priorTrials` in a request it warm-starts from them (warm-start/gp-warm-start.ts). */
export function createGpSampler(
  options: GpSamplerOptions,
  space: Space,
  batchStrategy: GpBatchStrategy = "believer",
): Sampler {
  return withGpWarmStart(space, (s) => createPlainGpSampler(options, s, batchStrategy));
}
