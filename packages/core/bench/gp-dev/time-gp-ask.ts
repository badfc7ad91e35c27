/** Times one GP ask with N completed trials: npx tsx --conditions=source packages/core/bench/gp-dev/time-gp-ask.ts */
import type { Space } from "@hpo/contracts";
import { performance } from "node:perf_hooks";
import { createGpSampler } from "../../src/gp/index.js";
import { createRandomSampler } from "../../src/samplers/random-sampler.js";
import type { HistoryTrial, JsonValue } from "../../src/samplers/sampler-types.js";
import { devProblems } from "./dev-problems.js";

const six: Space = Array.from({ length: 6 }, (_, i) => ({
  name: `x${i}`,
  type: "float" as const,
  low: 0,
  high: 1,
}));
const sixObjective = (p: Record<string, unknown>): number =>
  Array.from({ length: 6 }, (_, i) => Number(p[`x${i}`])).reduce(
    (a, v, i) => a + Math.sin(3 * v * (i + 1)) + v * v,
    0,
  );
const mlp = devProblems["mlp-surrogate-a"];
if (mlp === undefined) throw new Error("missing problem");
const cases: [string, Space, (p: Record<string, unknown>) => number][] = [
  ["6-continuous", six, sixObjective],
  ["mlp-surrogate-a", mlp.space, (p) => mlp.evaluate(p as never)],
];
for (const [name, space, f] of cases) {
  for (const n of [100, 300, 1000]) {
    const random = createRandomSampler(space);
    const trials: HistoryTrial[] = random
      .sample({ space, direction: "minimize", trials: [], count: n, seed: 1, firstNumber: 0, state: null })
      .suggestions.map((params, i) => ({
        number: i,
        params,
        state: "complete",
        value: f(params),
        reports: [],
      }));
    const gp = createGpSampler({}, space);
    let state: JsonValue | null = null;
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const r = gp.sample({
        space,
        direction: "minimize",
        trials,
        count: 1,
        seed: 1,
        firstNumber: n + rep,
        state,
      });
      times.push(performance.now() - t0);
      state = r.state;
    }
    console.log(
      `${name} n=${n}: cold ${times[0]?.toFixed(0)} ms, warm ${times
        .slice(1)
        .map((t) => t.toFixed(0))
        .join("/")} ms`,
    );
  }
}
