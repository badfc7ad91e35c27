import { describe, expect, it } from "vitest";
import { describeActivity, redisCpuSeconds } from "./fleet-cpu.js";
import { saturationVerdict, stageRow, summariseStage, type StageSamples } from "./fleet-stage-summary.js";

function samples(overrides: Partial<StageSamples> = {}): StageSamples {
  return {
    workers: 100,
    joined: 100,
    meanTrialSeconds: 3,
    windowSeconds: 20,
    completed: 600,
    latenciesMs: {
      claim: [10, 20, 30, 40, 1000],
      heartbeat: [5, 5, 5],
      report: [],
      tell: [8, 12],
      register: [3],
    },
    statuses: { 200: 5000, 409: 2, 429: 3, 500: 1, 503: 4 },
    networkErrors: 1,
    claimConflicts: 2,
    failedJobs: 0,
    abandoned: 0,
    jobWaitMs: [100, 200, 300],
    cpuSeconds: { api: 10, scheduler: 4, postgres: 8, redis: 2, fleet: 6 },
    host: { cores: 2, busyFraction: 0.7, load1: 3 },
    diagnostics: "postgres: active 2.0",
    ...overrides,
  };
}

describe("summariseStage", () => {
  it("turns a window's samples into rates, percentiles, error counts and CPU per trial", () => {
    const summary = summariseStage(samples());
    expect(summary.trialsPerSecond).toBe(30);
    expect(summary.demandPerSecond).toBeCloseTo(33.33, 2);
    expect(summary.latency.claim.p50).toBe(30);
    expect(summary.latency.claim.p99).toBeGreaterThan(900);
    expect(summary.latency.report).toEqual({ p50: null, p99: null, count: 0 });
    expect(summary.errors).toEqual({ status5xx: 5, status503: 4, status429: 3, other4xx: 2, network: 1 });
    expect(summary.jobWaitP50Ms).toBe(200);
    // api: 10 s over 20 s = 0.5 cores, 10,000 ms / 600 trials.
    const api = summary.uses.find((use) => use.resource === "api");
    expect(api?.cores).toBe(0.5);
    expect(api?.msPerTrial).toBeCloseTo(16.67, 2);
    expect(summary.trialsPerApiCore).toBeCloseTo(60, 6);
    // Postgres may use every core: 8 s over 20 s on 2 cores is 20% of its limit.
    expect(summary.uses.find((use) => use.resource === "postgres")?.ofLimit).toBeCloseTo(0.2, 6);
    expect(summary.trialsPerPostgresCore).toBeCloseTo(75, 6);
    expect(summary.uses[0]?.resource).toBe("api");
    expect(stageRow(summary)).toMatch(/^\| 100 \| 33\.3 \| 30\.0 \| 30\.0 \/ /);
  });

  it("counts the fleet's demand from the workers that joined", () => {
    const summary = summariseStage(samples({ workers: 1000, joined: 300 }));
    expect(summary.demandPerSecond).toBe(100);
    expect(stageRow(summary)).toMatch(/^\| 1000 \(300 joined\) \| 100 \|/);
  });

  it("has no per-trial figures when nothing completed", () => {
    const summary = summariseStage(samples({ completed: 0 }));
    expect(summary.trialsPerApiCore).toBeNull();
    expect(summary.uses.every((use) => use.msPerTrial === null)).toBe(true);
  });
});

describe("saturationVerdict", () => {
  it("names the single-threaded process nearest a whole core", () => {
    const verdict = saturationVerdict(samples({ cpuSeconds: { api: 18.5, scheduler: 4, postgres: 20 } }));
    expect(verdict.saturated).toBe("api");
    expect(verdict.why).toContain("93% of its core");
  });

  it("judges Postgres against all the machine's cores, not one", () => {
    const busyPostgres = samples({ cpuSeconds: { api: 5, postgres: 36 } });
    expect(saturationVerdict(busyPostgres).saturated).toBe("postgres");
    const oneCorePostgres = samples({ cpuSeconds: { api: 5, postgres: 19 }, completed: 600 });
    expect(saturationVerdict(oneCorePostgres).saturated).toBeNull();
  });

  it("blames the host when the service falls behind on a full machine with no process at its limit", () => {
    const verdict = saturationVerdict(
      samples({ completed: 100, host: { cores: 2, busyFraction: 0.97, load1: 25 } }),
    );
    expect(verdict.saturated).toBe("host CPU");
    expect(verdict.why).toContain("load 25.0");
  });

  it("says the service kept up, or was latency-bound with CPU to spare", () => {
    expect(saturationVerdict(samples()).saturated).toBeNull();
    expect(saturationVerdict(samples()).why).toMatch(/^kept up/);
    const slow = saturationVerdict(samples({ completed: 100 }));
    expect(slow.saturated).toBeNull();
    expect(slow.why).toMatch(/latency-bound/);
  });
});

describe("describeActivity", () => {
  it("averages the busy backends over the samples, busiest first, idle ones left out", () => {
    const samples = [
      new Map([
        ["active", 2],
        ["active Lock/advisory", 4],
        ["idle Client/ClientRead", 5],
      ]),
      new Map([["active", 1]]),
    ];
    expect(describeActivity(samples)).toBe("active Lock/advisory 2.0, active 1.5");
    expect(describeActivity([new Map([["idle Client/ClientRead", 3]])])).toBe("no busy backend");
  });
});

describe("redisCpuSeconds", () => {
  it("adds Redis's user and system CPU from INFO cpu", () => {
    const info = "# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:2.500000\r\nused_cpu_sys_children:9\r\n";
    expect(redisCpuSeconds(info)).toBeCloseTo(3.75, 6);
  });
});
