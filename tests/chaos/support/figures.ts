import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chaosProfile } from "./profile.js";
import type { Violations } from "./checkers.js";

/** One scenario's measured figures and what its checkers found, as docs/reliability.md shows them. */
export interface ScenarioFigures {
  id: string;
  title: string;
  figures: Record<string, number | string>;
  violations: Violations | null;
  invariants: string[];
}

/** Where scenarios leave their figures for the report writer (one JSON file each, per run). */
export function figuresDir(): string {
  return process.env["HPO_CHAOS_FIGURES_DIR"] ?? join(tmpdir(), `hpo-chaos-figures-${chaosProfile().name}`);
}

export function recordFigures(figures: ScenarioFigures): void {
  mkdirSync(figuresDir(), { recursive: true });
  writeFileSync(join(figuresDir(), `${figures.id}.json`), JSON.stringify(figures, null, 2));
}

export function readAllFigures(): ScenarioFigures[] {
  let files: string[] = [];
  try {
    files = readdirSync(figuresDir()).filter((file) => file.endsWith(".json"));
  } catch {
    return [];
  }
  return files
    .sort()
    .map((file) => JSON.parse(readFileSync(join(figuresDir(), file), "utf8")) as ScenarioFigures);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Nearest-rank quantile (p in 0..1) of the values; NaN for none. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function seconds(ms: number): number {
  return Math.round(ms / 10) / 100;
}
