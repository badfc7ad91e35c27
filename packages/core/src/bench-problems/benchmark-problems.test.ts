import { spaceSchema, type Params } from "@hpo/contracts";
import { readFileSync } from "node:fs";
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

function expectClose(actual: number, expected: number): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  if (expected === 0) expect(Math.abs(actual)).toBeLessThanOrEqual(1e-12);
  else expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(1e-12);
}

describe("benchmarkProblems", () => {
  it("has a fixture entry for every problem", () => {
    expect(Object.keys(fixture.problems).sort()).toEqual(Object.keys(benchmarkProblems).sort());
  });

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
});
