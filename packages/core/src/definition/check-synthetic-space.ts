import { choiceKey, type ParamSpec, type Space, type SyntheticTrainerSpec } from "@hpo/contracts";
import { benchmarkProblems } from "../bench-problems/benchmark-problems.js";
import type { DefinitionIssue } from "./definition-issues.js";

function describeSpec(spec: ParamSpec): string {
  return spec.type === "categorical"
    ? `categorical of ${spec.choices.map((c) => JSON.stringify(c)).join(", ")}`
    : `${spec.type} in [${spec.low}, ${spec.high}]`;
}

function checkAgainstProblem(
  own: ParamSpec,
  index: number,
  wanted: ParamSpec,
  problem: string,
): DefinitionIssue[] {
  const path = ["space", index];
  if (own.when !== undefined) {
    return [
      {
        path: [...path, "when"],
        message: `"${own.name}" is always needed by "${problem}"; it cannot be conditional`,
      },
    ];
  }
  if (wanted.type === "categorical") {
    if (own.type !== "categorical") {
      return [
        { path: [...path, "type"], message: `"${problem}" needs "${own.name}" as ${describeSpec(wanted)}` },
      ];
    }
    const allowed = new Set(wanted.choices.map(choiceKey));
    return own.choices.flatMap((choice, k) =>
      allowed.has(choiceKey(choice))
        ? []
        : [
            {
              path: [...path, "choices", k],
              message: `${JSON.stringify(choice)} is not a value "${problem}" defines for "${own.name}"`,
            },
          ],
    );
  }
  if (own.type === "categorical") {
    return [
      { path: [...path, "type"], message: `"${problem}" needs "${own.name}" as ${describeSpec(wanted)}` },
    ];
  }
  const issues: DefinitionIssue[] = [];
  if (own.low < wanted.low) {
    issues.push({
      path: [...path, "low"],
      message: `"${problem}" defines "${own.name}" only from ${wanted.low}`,
    });
  }
  if (own.high > wanted.high) {
    issues.push({
      path: [...path, "high"],
      message: `"${problem}" defines "${own.name}" only up to ${wanted.high}`,
    });
  }
  return issues;
}

/**
 * A synthetic trainer evaluates a benchmark function of core's `benchmarkProblems` at the trial's params, so
 * the space must give every param the function reads, always (not conditionally), within the function's domain.
 * Extra params are allowed: the function ignores them.
 */
export function checkSyntheticSpace(
  space: Space | undefined,
  trainer: SyntheticTrainerSpec,
): DefinitionIssue[] {
  if (space === undefined) return [];
  const problem = benchmarkProblems[trainer.problem];
  const issues: DefinitionIssue[] = [];
  for (const wanted of problem.space) {
    const index = space.findIndex((p) => p.name === wanted.name);
    const own = space[index];
    if (own === undefined) {
      issues.push({
        path: ["space"],
        message: `synthetic problem "${problem.name}" needs a param "${wanted.name}" (${describeSpec(wanted)})`,
      });
    } else {
      issues.push(...checkAgainstProblem(own, index, wanted, problem.name));
    }
  }
  return issues;
}
