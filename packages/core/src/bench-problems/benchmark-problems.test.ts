import { spaceSchema, type Params } from "@hpo/contracts";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { benchmarkProblems, type BenchmarkProblemName } from "./benchmark-problems.js";
import { validateParams } from "../space/validate-params.js";

interface TestPoint {
  params: Params;
  value: number;
}
const fixtureUrl = new URL("../../test/fixtures/bench-problem-test-points.json", import.meta.url);
const fixture = JSON.parse(readFileSync(fixtureUrl, "utf8")) as {
  problems: Record<string, { optimum: number; test_points: TestPoint[] }>;
};
// The repo root is packages/core/../..; the shared reference sits beside it.
const sharedPath = fileURLToPath(new URL("../../../../../shared/bench/problems.json", import.meta.url));

function expectClose(actual: number, expected: number): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  if (expected === 0) expect(Math.abs(actual)).toBeLessThanOrEqual(1e-12);
  else expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(1e-12);
}

if (!existsSync(sharedPath)) {
  console.warn(
    `skipping the shared/bench/problems.json check: ${sharedPath} is absent (fixture copy still tested)`,
  );
}

describe("benchmarkProblems", () => {
  it.each(Object.keys(fixture.problems))("%s reproduces every fixture test point to 1e-12", (name) => {
    const problem = benchmarkProblems[name as BenchmarkProblemName];
    const entry = fixture.problems[name];
    if (entry === undefined) throw new Error(`no fixture for ${name}`);
    expect(spaceSchema.safeParse(problem.space).success).toBe(true);
    expect(problem.optimum).toBe(entry.optimum);
    expect(entry.test_points.length).toBeGreaterThan(0);
    for (const point of entry.test_points) {
      expect(validateParams(problem.space, point.params).ok).toBe(true);
      expectClose(problem.evaluate(point.params), point.value);
    }
  });

  it.runIf(existsSync(sharedPath))("matches shared/bench/problems.json when present", () => {
    const shared = JSON.parse(readFileSync(sharedPath, "utf8")) as {
      problems: { name: string; optimum: number; test_points: TestPoint[] }[];
    };
    expect(shared.problems.map((p) => p.name).sort()).toEqual(Object.keys(benchmarkProblems).sort());
    for (const p of shared.problems) {
      const problem = benchmarkProblems[p.name as BenchmarkProblemName];
      expect(problem.optimum).toBe(p.optimum);
      for (const point of p.test_points) expectClose(problem.evaluate(point.params), point.value);
    }
  });
});
