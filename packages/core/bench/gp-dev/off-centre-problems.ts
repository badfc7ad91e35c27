import type { Params } from "@hpo/contracts";
import { suiteProblems, type SuiteProblem } from "../suite-problems.js";

/**
 * Development problems with their optimum moved off the centre of the box (dev aid): each classic
 * function is shifted so that its point x = 0, the optimum of all but Dixon–Price (whose optimum moves by the
 * same offsets), sits at 0.12 of the range in odd-numbered params and 0.88 in even-numbered ones. Checks that a change to the GP does not owe its
 * gains to the centred optima of the textbook functions (docs/benchmarks.md, "A prior mean that rises
 * towards the boundary"). Named `<problem>-off`; compare-gp-variants.ts accepts them.
 */
function offCentre(name: string): SuiteProblem {
  const base = suiteProblems.find((p) => p.name === name);
  if (base === undefined) throw new Error(`unknown problem ${name}`);
  const offsets = base.space.map((s, j) =>
    s.type === "float" ? s.low + (j % 2 === 0 ? 0.12 : 0.88) * (s.high - s.low) : 0,
  );
  return {
    ...base,
    name: `${name}-off`,
    evaluate: (p: Params) => {
      const moved: Params = {};
      base.space.forEach((s, j) => (moved[s.name] = Number(p[s.name]) - (offsets[j] ?? 0)));
      return base.evaluate(moved);
    },
  };
}

export const offCentreProblems: SuiteProblem[] = [
  "rastrigin2",
  "zakharov4",
  "powell8",
  "griewank4",
  "dixon-price4",
].map(offCentre);
