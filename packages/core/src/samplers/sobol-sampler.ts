import type { Space, SobolSamplerConfig } from "@hpo/contracts";
import { createEncoding } from "../space/space-encoding.js";
import { decodeUnitPoint } from "./decode-unit-point.js";
import type { Sampler, SampleRequest, SampleResult } from "./sampler-types.js";
import { sobolPoint } from "./sobol-sequence.js";

/**
 * Scrambled Sobol design: trial number n gets point n (unscrambled: n + 1, skipping the origin), one
 * dimension per param. Stateless, hence resumable from stored history and identical across replicas.
 */
export function createSobolSampler(config: Omit<SobolSamplerConfig, "type">, space: Space): Sampler {
  const encoding = createEncoding(space);
  const scramble = config.scramble ?? true;
  return {
    type: "sobol",
    sample(req: SampleRequest): SampleResult {
      const suggestions = [];
      for (let k = 0; k < req.count; k++) {
        const index = req.firstNumber + k + (scramble ? 0 : 1);
        suggestions.push(decodeUnitPoint(encoding, sobolPoint(index, space.length, req.seed, scramble)));
      }
      return { suggestions, state: null, exhausted: false, origin: "sobol" };
    },
  };
}
