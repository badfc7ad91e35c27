export { createGpSampler, type GpSamplerOptions } from "./gp-sampler.js";
