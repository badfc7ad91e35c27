import { describe, expect, it } from "vitest";
import { spaceSchema } from "./space-schema.js";

function issuesOf(space: unknown): { path: PropertyKey[]; message: string }[] {
  const r = spaceSchema.safeParse(space);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe("spaceSchema", () => {
  it("accepts every param kind with conditions", () => {
    const space = [
      { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
      { name: "x", type: "float", low: 0, high: 1, step: 0.1 },
      { name: "n", type: "int", low: 1, high: 1024, log: true },
      { name: "k", type: "int", low: 0, high: 10, step: 2 },
      { name: "opt", type: "categorical", choices: ["sgd", "momentum"] },
      { name: "m", type: "float", low: 0, high: 0.99, when: { opt: "momentum" } },
      { name: "flag", type: "categorical", choices: [true, false, 3] },
      { name: "z", type: "int", low: 0, high: 3, when: { opt: ["sgd", "momentum"], flag: true } },
    ];
    expect(issuesOf(space)).toEqual([]);
  });

  it.each([
    [[{ name: "a", type: "float", low: 1, high: 1 }], [0, "high"]],
    [[{ name: "a", type: "float", low: 0, high: 1, log: true }], [0, "low"]],
    [[{ name: "a", type: "float", low: 0, high: 1, step: 0.3 }], [0, "step"]],
    [[{ name: "a", type: "int", low: 0, high: 10, step: 3 }], [0, "step"]],
    [[{ name: "a", type: "float", low: 1, high: 10, step: 1, log: true }], [0, "step"]],
    [[{ name: "a", type: "categorical", choices: [] }], [0, "choices"]],
    [[{ name: "a", type: "categorical", choices: ["x", "x"] }], [0, "choices", 1]],
    [[{ name: "a", type: "float", low: 0, high: Number.NaN }], [0, "high"]],
    [[{ name: "a", type: "float", low: 0, high: Infinity }], [0, "high"]],
    [[{ name: "a", type: "int", low: 0.5, high: 3 }], [0, "low"]],
    [[{ name: "a", type: "float", low: 0, high: 1, extra: 1 }], [0]],
    [
      [
        { name: "a", type: "float", low: 0, high: 1 },
        { name: "a", type: "float", low: 0, high: 1 },
      ],
      [1, "name"],
    ],
    [[{ name: "a", type: "float", low: 0, high: 1, when: { b: 1 } }], [0, "when", "b"]],
    [
      [
        { name: "a", type: "float", low: 0, high: 1, when: { b: "x" } },
        { name: "b", type: "categorical", choices: ["x"] },
      ],
      [0, "when", "b"],
    ],
    [
      [
        { name: "b", type: "categorical", choices: ["x"] },
        { name: "a", type: "float", low: 0, high: 1, when: { b: "y" } },
      ],
      [1, "when", "b"],
    ],
  ])("rejects %j at path %j", (space, path) => {
    const issues = issuesOf(space);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.path)).toContainEqual(path);
  });
});
