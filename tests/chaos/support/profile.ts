/**
 * Timing profiles of the chaos suite. `fast` (CI: `.ci/run`) uses short leases, few repetitions and small
 * studies so the subset ends in about three minutes; `default` (`npm run test:chaos`) is what the figures
 * in docs/reliability.md come from.
 */
export type ChaosProfileName = "fast" | "default";

export interface ChaosProfile {
  name: ChaosProfileName;
  /** Environment for every service (heartbeats, lease grace, sweeps). */
  env: Record<string, string>;
  /** How long a lease survives without a heartbeat (HPO_HEARTBEAT_GRACE_MS). */
  leaseGraceMs: number;
  kills: number;
  askProcesses: number;
  asksPerProcess: number;
  /** How long the ask race may take, all processes together (each asks and tells asksPerProcess times). */
  askRaceTimeoutMs: number;
  badInputRuns: number;
  flushTrials: number;
}

const commonEnv: Record<string, string> = {
  HPO_HEARTBEAT_INTERVAL_MS: "500",
  HPO_SWEEP_INTERVAL_MS: "500",
  HPO_WORKER_REGISTER_INTERVAL_MS: "1000",
  HPO_KILL_GRACE_MS: "1000",
  HPO_SHUTDOWN_GRACE_MS: "3000",
  HPO_RATE_LIMIT_PER_MINUTE: "1000000",
  LOG_LEVEL: "info",
};

export function chaosProfile(): ChaosProfile {
  const name: ChaosProfileName = process.env["HPO_CHAOS_PROFILE"] === "fast" ? "fast" : "default";
  if (name === "fast") {
    return {
      name,
      env: { ...commonEnv, HPO_HEARTBEAT_GRACE_MS: "3000" },
      leaseGraceMs: 3000,
      kills: 2,
      askProcesses: 4,
      asksPerProcess: 10,
      askRaceTimeoutMs: 300_000,
      badInputRuns: 200,
      flushTrials: 40,
    };
  }
  return {
    name,
    env: { ...commonEnv, HPO_HEARTBEAT_INTERVAL_MS: "1000", HPO_HEARTBEAT_GRACE_MS: "5000" },
    leaseGraceMs: 5000,
    kills: 20,
    // The 4 x 2,500: about 45 ask/tell cycles a second on a quiet 2-core machine
    // (docs/benchmarks.md, ask/tell), so about 4 minutes; bounded for a loaded one.
    askProcesses: 4,
    asksPerProcess: 2_500,
    askRaceTimeoutMs: 1_500_000,
    badInputRuns: 1000,
    flushTrials: 200,
  };
}

/** Whether a scenario runs in this profile: `fast` runs only the CI subset. */
export function inProfile(subset: "fast" | "full"): boolean {
  return subset === "fast" || chaosProfile().name === "default";
}
