import {
  benchmarkProblems,
  createTpeSamplerWithSettings,
  DEFAULT_TPE_SETTINGS,
  type BenchmarkProblemName,
  type TpeSettings,
} from "@hpo/core";
import { runBenchmarkStudy } from "./run-benchmark-study.js";
const name = (process.argv[2] ?? "branin") as BenchmarkProblemName;
const over = JSON.parse(process.argv[3] ?? "{}") as Partial<TpeSettings>;
const batch = Number(process.argv[4] ?? 1);
const p = benchmarkProblems[name];
const out: string[] = [];
for (let seed = 0; seed < 15; seed++) {
  const r = runBenchmarkStudy(
    p,
    (s) => createTpeSamplerWithSettings({ ...DEFAULT_TPE_SETTINGS, ...over }, s),
    seed,
    60,
    batch,
  );
  out.push((Math.min(...r.values) - p.optimum).toPrecision(2));
}
console.log(name, JSON.stringify(over), out.join(" "));
