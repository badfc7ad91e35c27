import { loadavg } from "node:os";

/** One measured figure, printed beside its target and Optuna's figure where one exists. */
export interface Figure {
  section: string;
  name: string;
  value: number | null;
  unit: string;
  /** The target in words, e.g. "≥ 300" or "< 20". */
  target: string;
  /** Whether the figure meets its target; null when there is no target to judge. */
  met: boolean | null;
  optuna?: string;
  /** The 1-minute load average when the figure was taken (the machine is shared). */
  load: number;
  note?: string;
}

export function load1(): number {
  return loadavg()[0] ?? 0;
}

export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "n/a";
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toPrecision(3);
}

/** Collects figures and prints each one as it is taken. */
export class FigureLog {
  readonly figures: Figure[] = [];

  add(figure: Omit<Figure, "load" | "met"> & { met?: boolean | null }): Figure {
    const full: Figure = { ...figure, met: figure.met ?? null, load: load1() };
    this.figures.push(full);
    const verdict = full.met === null ? "" : full.met ? "  ✓" : "  ✗";
    const optuna = full.optuna ? `  Optuna ${full.optuna}` : "";
    const note = full.note ? `  (${full.note})` : "";
    process.stdout.write(
      `[system] ${full.section} · ${full.name}: ${formatNumber(full.value)} ${full.unit}  target ${full.target}${verdict}${optuna}  load ${full.load.toFixed(1)}${note}\n`,
    );
    return full;
  }

  markdown(): string {
    const rows = this.figures.map((figure) => {
      const verdict = figure.met === null ? "—" : figure.met ? "met" : "**not met**";
      return `| ${figure.section} | ${figure.name} | ${formatNumber(figure.value)} ${figure.unit} | ${figure.target} | ${verdict} | ${figure.optuna ?? "—"} | ${figure.load.toFixed(1)} | ${figure.note ?? ""} |`;
    });
    return [
      "| section | figure | measured | target | verdict | Optuna | load | note |",
      "|---|---|---|---|---|---|---|---|",
      ...rows,
    ].join("\n");
  }
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? 0;
  const highValue = sorted[high] ?? lowValue;
  return lowValue + (highValue - lowValue) * (rank - low);
}
