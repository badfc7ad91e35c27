/**
 * RNG stream ids: every sampler draws from createRng(seed, trialNumber, STREAM) so that the numbers a
 * trial gets depend only on (study seed, trial number, purpose), never on what was drawn before.
 */
export const STREAM_RANDOM = 0x52414e44; // "RAND"
export const STREAM_GRID = 0x47524944; // "GRID"
export const STREAM_TPE = 0x54504531; // "TPE1"
export const STREAM_SOBOL = 0x534f424c; // "SOBL"
export const STREAM_NSGA2 = 0x4e534732; // "NSG2"
