import { createGpSampler } from "../index.js";
import type { HistoryTrial, JsonValue } from "../../samplers/sampler-types.js";
import type { Params, Space } from "../../space/space-schema.js";
const space: Space = [
  { name: "x", type: "float", low: -2, high: 2 },
  { name: "y", type: "float", low: 0, high: 1 },
];
const f = (p: Params): number => (Number(p.x) - 0.7) ** 2 + 2 * (Number(p.y) - 0.25) ** 2;
const s = createGpSampler({}, space);
const trials: HistoryTrial[] = [];
let state: JsonValue | null = null;
for (let i = 0; i < 25; i++) {
  const r = s.sample({ space, direction: "minimize", trials, count: 1, seed: 2, firstNumber: i, state });
  state = r.state;
  const p = r.suggestions[0] ?? {};
  trials.push({ number: i, params: p, state: "complete", value: f(p), reports: [] });
  console.log(i, r.origin, f(p).toExponential(2), JSON.stringify(p), JSON.stringify(state).slice(0, 120));
}
