import {
  trainingDiagnosticsSchema,
  type DiagnosticFlag,
  type Direction,
  type TrialReply,
} from "@hpo/contracts";

export interface InitializerRow {
  initializer: string;
  trials: number;
  complete: number;
  best: number | null;
  median: number | null;
  flagged: Record<DiagnosticFlag, number>;
}

export interface FlaggedTrial {
  number: number;
  initializer: string;
  value: number | null;
  flags: DiagnosticFlag[];
}

export interface InitializerReport {
  rows: InitializerRow[];
  flagged: FlaggedTrial[];
  /** Initializers from best to worst by their best value (those with no complete trial last). */
  ranking: string[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? null)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * How each weight initializer fared across the demo's trials (best and median objective of its complete
 * trials) and which trials the trainer's diagnostics flagged dead, saturated or symmetric.
 */
export function initializerReport(
  trials: readonly TrialReply[],
  initializers: readonly string[],
  direction: Direction,
): InitializerReport {
  const better = (a: number, b: number) => (direction === "maximize" ? a > b : a < b);
  const rows = new Map<string, InitializerRow & { values: number[] }>(
    initializers.map((name) => [
      name,
      {
        initializer: name,
        trials: 0,
        complete: 0,
        best: null,
        median: null,
        flagged: { "dead-units": 0, saturated: 0, "symmetric-weights": 0 },
        values: [],
      },
    ]),
  );
  const flagged: FlaggedTrial[] = [];
  for (const trial of trials) {
    const initializer = String(trial.params["initializer"] ?? "?");
    const row = rows.get(initializer);
    if (!row) continue;
    row.trials += 1;
    if (trial.state === "complete" && trial.value !== null) {
      row.complete += 1;
      row.values.push(trial.value);
      if (row.best === null || better(trial.value, row.best)) row.best = trial.value;
    }
    const diagnostics = trainingDiagnosticsSchema.safeParse(trial.diagnostics);
    if (diagnostics.success && diagnostics.data.flags.length > 0) {
      for (const flag of diagnostics.data.flags) row.flagged[flag] += 1;
      flagged.push({ number: trial.number, initializer, value: trial.value, flags: diagnostics.data.flags });
    }
  }
  const finalRows = [...rows.values()].map(({ values, ...row }) => ({ ...row, median: median(values) }));
  const ranking = [...finalRows]
    .sort((a, b) => {
      if (a.best === null) return b.best === null ? 0 : 1;
      if (b.best === null) return -1;
      return better(a.best, b.best) ? -1 : better(b.best, a.best) ? 1 : 0;
    })
    .map((row) => row.initializer);
  return { rows: finalRows, flagged: flagged.sort((a, b) => a.number - b.number), ranking };
}
