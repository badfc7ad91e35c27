import { describe, expect, it } from "vitest";
import { CliError } from "../exit-codes.js";
import { checkStudyDefinition, readStudyFile } from "./read-study-file.js";

const valid = `name: quad
objective:
  metric: loss
  direction: minimize
space:
  - name: x
    type: float
    low: -5
    high: 5
budget:
  maxTrials: 10
`;

function errorOf(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error("expected a CliError");
}

describe("readStudyFile", () => {
  it("reads YAML and JSON alike", () => {
    expect(readStudyFile("s.yaml", valid).definition).toMatchObject({
      name: "quad",
      budget: { maxTrials: 10 },
    });
    expect(readStudyFile("s.json", '{"name": "quad", "budget": {"maxTrials": 3}}').definition).toEqual({
      name: "quad",
      budget: { maxTrials: 3 },
    });
  });

  it("points a YAML syntax error at its line, column and the key it is under", () => {
    const broken = valid.replace("    high: 5", "    high: 5\n   low: [1, 2");
    const error = errorOf(() => readStudyFile("s.yaml", broken));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/s\.yaml:10:\d+ \(under space\.0(\.\w+)?\): /);
  });

  it("names a duplicated key with its line", () => {
    const error = errorOf(() =>
      readStudyFile("s.yaml", valid.replace("  metric: loss", "  metric: loss\n  metric: acc")),
    );
    expect(error.message).toMatch(/s\.yaml:4:3 \(under objective\.metric\): Map keys must be unique/);
  });

  it("lists every definition problem with its JSON path and line", () => {
    const file = readStudyFile(
      "s.yaml",
      valid.replace("high: 5", "high: five").replace("maxTrials: 10", "maxTrials: 0"),
    );
    const error = errorOf(() => checkStudyDefinition(file, {}));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain("s.yaml:9:11 (space.0.high):");
    expect(error.message).toContain("s.yaml:11:14 (budget.maxTrials):");
  });

  it("points a missing key at its parent", () => {
    const file = readStudyFile("s.yaml", valid.replace("  direction: minimize\n", ""));
    expect(errorOf(() => checkStudyDefinition(file, {})).message).toContain(
      "s.yaml:3:3 (objective.direction):",
    );
  });

  it("lets --name replace the file's name", () => {
    expect(checkStudyDefinition(readStudyFile("s.yaml", valid), { name: "other" })).toMatchObject({
      name: "other",
    });
  });
});
