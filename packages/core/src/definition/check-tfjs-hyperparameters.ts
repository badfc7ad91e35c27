import type { ParamSpec, ParamValue, Params, Space } from "@hpo/contracts";
import type { DefinitionIssue } from "./definition-issues.js";
import {
  explainTfjsValueProblem,
  findTfjsHyperparameter,
  tfjsHyperparameterNames,
} from "./tfjs-hyperparameters.js";

function unknownNameMessage(name: string): string {
  return `unknown tfjs hyperparameter "${name}"; known: ${tfjsHyperparameterNames.join(", ")}`;
}

function checkValue(name: string, value: ParamValue, path: (string | number)[]): DefinitionIssue[] {
  const hyperparameter = findTfjsHyperparameter(name);
  if (hyperparameter === undefined) return [];
  const problem = explainTfjsValueProblem(hyperparameter, value);
  return problem === undefined ? [] : [{ path, message: problem }];
}

function checkSpaceParam(spec: ParamSpec, index: number): DefinitionIssue[] {
  const hyperparameter = findTfjsHyperparameter(spec.name);
  if (hyperparameter === undefined)
    return [{ path: ["space", index, "name"], message: unknownNameMessage(spec.name) }];
  const { domain } = hyperparameter;
  if (spec.type === "categorical") {
    return spec.choices.flatMap((choice, k) => checkValue(spec.name, choice, ["space", index, "choices", k]));
  }
  if (domain.kind === "categorical") {
    return [
      {
        path: ["space", index, "type"],
        message: `"${spec.name}" must be a categorical param with choices among ${domain.choices.join(", ")}`,
      },
    ];
  }
  if (domain.kind === "int" && spec.type === "float") {
    return [
      {
        path: ["space", index, "type"],
        message: `"${spec.name}" takes integers: use an int or categorical param`,
      },
    ];
  }
  return [
    ...checkValue(spec.name, spec.low, ["space", index, "low"]),
    ...checkValue(spec.name, spec.high, ["space", index, "high"]),
  ];
}

/**
 * A tfjs study may only name hyperparameters the tfjs trainer knows, in the space or in `trainer.fixed`, with
 * values it can use (e.g. an optimizer it implements, a dropout below 1); a fixed one may not also be tuned.
 * Caught at creation, so a typo never costs a study's worth of failed trials.
 */
export function checkTfjsHyperparameters(
  space: Space | undefined,
  fixed: Params | undefined,
): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  space?.forEach((spec, index) => issues.push(...checkSpaceParam(spec, index)));
  const tuned = new Set(space?.map((s) => s.name) ?? []);
  for (const [name, value] of Object.entries(fixed ?? {})) {
    const path = ["trainer", "fixed", name];
    if (findTfjsHyperparameter(name) === undefined) issues.push({ path, message: unknownNameMessage(name) });
    else if (tuned.has(name))
      issues.push({ path, message: `"${name}" is tuned in the space; it cannot also be fixed` });
    else issues.push(...checkValue(name, value, path));
  }
  return issues;
}
