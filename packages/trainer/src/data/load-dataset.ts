import { resolve } from "node:path";
import type { TfjsDataset } from "@hpo/contracts";
import type { Dataset } from "./dataset-types.js";
import { loadCsvDataset } from "./load-csv-dataset.js";
import { loadDigits } from "./load-digits.js";
import { loadIris } from "./load-iris.js";
import { generateMoons } from "./generate-moons.js";
import { generateSpirals } from "./generate-spirals.js";

/**
 * Loaded datasets, per process: a worker child trains one trial, but the benchmark and tests train many
 * networks in one process, and parsing the 41 MB of digits JSON takes about half a second.
 */
const cache = new Map<string, Promise<Dataset>>();

export function describeDatasetSpec(spec: TfjsDataset): string {
  return typeof spec === "string" ? spec : `csv:${spec.csv}`;
}

export function loadDataset(spec: TfjsDataset, cwd: string = process.cwd()): Promise<Dataset> {
  const key = typeof spec === "string" ? spec : `csv:${resolve(cwd, spec.csv)}#${spec.labelColumn ?? ""}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const loading = loadUncached(spec, cwd);
  cache.set(key, loading);
  // A failed load (missing file) must not poison the cache for a corrected retry.
  loading.catch(() => cache.delete(key));
  return loading;
}

async function loadUncached(spec: TfjsDataset, cwd: string): Promise<Dataset> {
  if (typeof spec !== "string") return loadCsvDataset(resolve(cwd, spec.csv), spec.labelColumn);
  switch (spec) {
    case "digits":
      return loadDigits();
    case "iris":
      return loadIris();
    case "spirals":
      return generateSpirals();
    case "moons":
      return generateMoons();
  }
}
