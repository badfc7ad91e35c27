import type { Constraint, Objective } from "@hpo/contracts";

/** What a tell (or a worker's result) says about a finished trial. */
export interface TrialResultInput {
  state: "complete" | "pruned" | "failed";
  value?: number | null | undefined;
  values?: readonly number[] | null | undefined;
  metrics?: Readonly<Record<string, number>> | null | undefined;
}

export interface ResolvedTrialResult {
  /** One per objective, in the definition's order; empty when they are not all known (failed, pruned). */
  values: number[];
  /** values[0], or the explicit value, or null. */
  value: number | null;
  /** One per constraint (<= 0 satisfied); empty when there are none or the trial did not complete. */
  constraintViolations: number[];
  /** Whether every constraint held; null unless the trial completed. */
  feasible: boolean | null;
}

export interface ResultIssue {
  path: (string | number)[];
  message: string;
}

export type ResolveTrialResultOutcome =
  { ok: true; result: ResolvedTrialResult } | { ok: false; issues: ResultIssue[] };

/**
 * How much a constraint is violated by a metric value: <= 0 satisfied, > 0 violated by that much (the
 * convention of Optuna's constraints_func, which lets samplers prefer nearly feasible points).
 */
export function constraintViolation(constraint: Constraint, metric: number): number {
  return constraint.op === "<=" ? metric - constraint.value : constraint.value - metric;
}

function objectiveValues(
  objectives: readonly Objective[],
  input: TrialResultInput,
  issues: ResultIssue[],
): number[] {
  if (input.values !== undefined && input.values !== null) {
    if (input.values.length !== objectives.length) {
      issues.push({
        path: ["values"],
        message: `Give ${objectives.length} values, one per objective (${objectives.map((o) => o.metric).join(", ")})`,
      });
    }
    return [...input.values];
  }
  const values: number[] = [];
  objectives.forEach((objective, index) => {
    const value = (index === 0 ? (input.value ?? undefined) : undefined) ?? input.metrics?.[objective.metric];
    if (value === undefined) {
      if (input.state === "complete") {
        issues.push({
          path: objectives.length === 1 ? ["value"] : ["metrics", objective.metric],
          message:
            objectives.length === 1
              ? `Give value or metrics.${objective.metric}`
              : `Give values or metrics.${objective.metric} (objective ${index})`,
        });
      }
      return;
    }
    values.push(value);
  });
  return values.length === objectives.length ? values : [];
}

/**
 * The stored result of a finished trial: its value per objective (from `values`, `value` or the metrics
 * named by the objectives) and, for a complete trial, each constraint's violation from its final metrics
 * (a constraint on an objective reads that objective's value). A complete trial must say every objective and
 * every constrained metric; each missing one is an issue with its JSON path.
 */
export function resolveTrialResult(
  definition: { objectives: readonly Objective[]; constraints: readonly Constraint[] },
  input: TrialResultInput,
): ResolveTrialResultOutcome {
  const issues: ResultIssue[] = [];
  const values = objectiveValues(definition.objectives, input, issues);
  const value = values[0] ?? input.value ?? null;
  let constraintViolations: number[] = [];
  if (input.state === "complete") {
    constraintViolations = definition.constraints.map((constraint, index) => {
      const objectiveIndex = definition.objectives.findIndex((o) => o.metric === constraint.metric);
      const metric = input.metrics?.[constraint.metric] ?? values[objectiveIndex];
      if (metric === undefined) {
        issues.push({
          path: ["metrics", constraint.metric],
          message: `Give metrics.${constraint.metric}: constraint ${index} (${constraint.metric} ${constraint.op} ${constraint.value}) needs it`,
        });
        return 0;
      }
      return constraintViolation(constraint, metric);
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  const feasible = input.state === "complete" ? constraintViolations.every((v) => v <= 0) : null;
  return { ok: true, result: { values, value, constraintViolations, feasible } };
}
