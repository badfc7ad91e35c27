import type { BenchmarkProblemName } from "@hpo/core";
import type { SamplerConfig } from "@hpo/contracts";
import { BUDGET, CHECKPOINTS, type BenchJobResult } from "./bench-jobs.js";
import { formatNumber, median, quantile } from "./bench-stats.js";

/** Optuna 3.1.0 reference figures for this protocol (packages/core/bench/optuna-reference.json, its `source` says how). */
export interface OptunaReference {
  results: Record<string, Record<string, { median_final_regret: number; iqr: [number, number] }>>;
}

export const OPTUNA_SEQUENTIAL = ["random", "tpe", "tpe-mv", "cmaes", "qmc-scr"] as const;
export const OPTUNA_BATCHED = ["random-b4", "tpe-b4", "tpe-cl-b4"] as const;

export interface SummaryRow {
  problem: BenchmarkProblemName;
  mode: "sequential" | "batched ×4";
  sampler: SamplerConfig["type"];
  note: string;
  median: number;
  q25: number;
  q75: number;
  medianAt: Record<number, number>;
  bestOptuna: { name: string; value: number } | undefined;
  optunaTpe: { name: string; value: number } | undefined;
  /** Optuna's plain TPE asked 4 at a time (no constant liar), batched rows only. */
  plainTpeB4: number | undefined;
  seconds: number;
}

export function summarize(
  results: readonly BenchJobResult[],
  reference: OptunaReference,
  notes: ReadonlyMap<string, string>,
): SummaryRow[] {
  const groups = new Map<string, BenchJobResult[]>();
  for (const r of results) {
    const key = `${r.problem}|${r.batch}|${r.sampler}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows: SummaryRow[] = [];
  for (const list of groups.values()) {
    const first = list[0];
    if (first === undefined) continue;
    const finals = list.map((r) => r.regretAt[BUDGET] ?? Number.NaN);
    const ref = reference.results[first.problem] ?? {};
    const names = first.batch === 1 ? OPTUNA_SEQUENTIAL : OPTUNA_BATCHED;
    let bestOptuna: { name: string; value: number } | undefined;
    for (const name of names) {
      const v = ref[name]?.median_final_regret;
      if (v !== undefined && (bestOptuna === undefined || v < bestOptuna.value))
        bestOptuna = { name, value: v };
    }
    const tpeName = first.batch === 1 ? "tpe" : "tpe-cl-b4";
    const tpeValue = ref[tpeName]?.median_final_regret;
    const medianAt: Record<number, number> = {};
    for (const k of CHECKPOINTS) medianAt[k] = median(list.map((r) => r.regretAt[k] ?? Number.NaN));
    rows.push({
      problem: first.problem,
      mode: first.batch === 1 ? "sequential" : "batched ×4",
      sampler: first.sampler,
      note: notes.get(`${first.problem}|${first.sampler}`) ?? "",
      median: median(finals),
      q25: quantile(finals, 0.25),
      q75: quantile(finals, 0.75),
      medianAt,
      bestOptuna,
      optunaTpe: tpeValue === undefined ? undefined : { name: tpeName, value: tpeValue },
      plainTpeB4: first.batch === 1 ? undefined : ref["tpe-b4"]?.median_final_regret,
      seconds: list.reduce((a, r) => a + r.seconds, 0),
    });
  }
  return rows;
}

const ratio = (ours: number, theirs: number | undefined): string =>
  theirs === undefined ? "—" : theirs === 0 ? "—" : formatNumber(ours / theirs);

export function formatRegretTable(rows: readonly SummaryRow[]): string {
  const lines = [
    "| problem | mode | sampler | median final regret [q25, q75] | at 20 / 30 trials | Optuna tpe (same mode) | ratio to Optuna tpe | best Optuna | ratio to best Optuna |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const name = r.note === "" ? r.sampler : `${r.sampler} (${r.note})`;
    lines.push(
      `| ${r.problem} | ${r.mode} | ${name} | ${formatNumber(r.median)} [${formatNumber(r.q25)}, ${formatNumber(r.q75)}] | ` +
        `${formatNumber(r.medianAt[20] ?? Number.NaN)} / ${formatNumber(r.medianAt[30] ?? Number.NaN)} | ` +
        `${r.optunaTpe === undefined ? "—" : `${formatNumber(r.optunaTpe.value)} (${r.optunaTpe.name})`} | ${ratio(r.median, r.optunaTpe?.value)} | ` +
        `${r.bestOptuna === undefined ? "—" : `${formatNumber(r.bestOptuna.value)} (${r.bestOptuna.name})`} | ${ratio(r.median, r.bestOptuna?.value)} |`,
    );
  }
  return lines.join("\n");
}

export interface TimingRow {
  sampler: string;
  space: string;
  ms: Record<number, number>;
}

export function formatTimingTable(rows: readonly TimingRow[], sizes: readonly number[]): string {
  const lines = [
    `| sampler | space | ${sizes.map((n) => `${n} trials`).join(" | ")} |`,
    `|---|---|${sizes.map(() => "---").join("|")}|`,
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.sampler} | ${r.space} | ${sizes.map((n) => `${formatNumber(r.ms[n] ?? Number.NaN)} ms`).join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/**
 * Plain-language verdicts generated from the numbers (so the doc can never claim more than the run
 * showed): for each model-based sampler and mode, where it beats or loses to Optuna's TPE and to the
 * best Optuna sampler.
 */
export function formatVerdicts(rows: readonly SummaryRow[]): string {
  const lines: string[] = [];
  for (const sampler of ["tpe", "gp", "auto"] as const) {
    for (const mode of ["sequential", "batched ×4"] as const) {
      const mine = rows.filter((r) => r.sampler === sampler && r.mode === mode);
      if (mine.length === 0) continue;
      const lossesTpe = mine.filter((r) => r.optunaTpe !== undefined && r.median > r.optunaTpe.value);
      const lossesBest = mine.filter((r) => r.bestOptuna !== undefined && r.median > r.bestOptuna.value);
      const list = (
        xs: SummaryRow[],
        pick: (r: SummaryRow) => { name: string; value: number } | undefined,
      ): string =>
        xs
          .map(
            (r) =>
              `${r.problem} (${formatNumber(r.median)} vs ${formatNumber(pick(r)?.value ?? Number.NaN)} ${pick(r)?.name ?? ""})`,
          )
          .join(", ");
      const tpeName = mode === "sequential" ? "tpe" : "tpe-cl-b4";
      const vsTpe =
        lossesTpe.length === 0
          ? `at least as good as Optuna's ${tpeName} on all ${mine.length} problems`
          : `worse than Optuna's ${tpeName} on ${list(lossesTpe, (r) => r.optunaTpe)}`;
      const vsBest =
        lossesBest.length === 0
          ? "at least as good as the best Optuna sampler on every problem"
          : `worse than the best Optuna sampler on ${list(lossesBest, (r) => r.bestOptuna)}`;
      let vsPlain = "";
      if (mode === "batched ×4") {
        const beaten = mine.filter((r) => r.plainTpeB4 !== undefined && r.median < r.plainTpeB4);
        vsPlain = ` Against Optuna's plain tpe-b4 (no constant liar) it is better on ${beaten.length} of ${mine.length} problems.`;
      }
      lines.push(`- **${sampler}, ${mode}**: ${vsTpe}; ${vsBest}.${vsPlain}`);
    }
  }
  return lines.join("\n");
}
