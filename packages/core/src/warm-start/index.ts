export { prepareWarmStart, type PriorTrialInput, type PreparedWarmStart } from "./prepare-warm-start.js";
