import type { Space } from "@hpo/contracts";
import { createRng } from "../rng/create-rng.js";
import { createEncoding } from "../space/space-encoding.js";
import { decodeUnitPoint } from "./decode-unit-point.js";
import type { Sampler, SampleRequest, SampleResult } from "./sampler-types.js";
import { STREAM_RANDOM } from "./sampler-streams.js";

/** Uniform in the encoded space (log-uniform for log params, every grid value equally likely). */
export function createRandomSampler(space: Space): Sampler {
  const encoding = createEncoding(space);
  return {
    type: "random",
    sample(req: SampleRequest): SampleResult {
      const suggestions = [];
      for (let k = 0; k < req.count; k++) {
        const rng = createRng(req.seed, req.firstNumber + k, STREAM_RANDOM);
        const u = encoding.params.map(() => rng.next());
        suggestions.push(decodeUnitPoint(encoding, u));
      }
      return { suggestions, state: null, exhausted: false, origin: "random" };
    },
  };
}
