import type { Space } from "@hpo/contracts";
import type { Trial } from "@hpo/db";
import { durationMsOf } from "./trial-json.js";

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV export of trials: fixed columns, then one column per param (space order, inactive ones empty),
 * then one per metric name seen (sorted). RFC 4180 quoting.
 */
export function trialsToCsv(trials: readonly Trial[], space: Space): string {
  const paramNames = space.map((param) => param.name);
  const metricNames = [
    ...new Set(
      trials.flatMap((trial) =>
        trial.metrics && typeof trial.metrics === "object" && !Array.isArray(trial.metrics)
          ? Object.keys(trial.metrics)
          : [],
      ),
    ),
  ].sort();
  const header = [
    "number",
    "state",
    "value",
    ...paramNames.map((name) => `param_${name}`),
    ...metricNames.map((name) => `metric_${name}`),
    "origin",
    "attempt",
    "duration_ms",
    "started_at",
    "finished_at",
    "id",
  ];
  const lines = [header.map(csvCell).join(",")];
  for (const trial of trials) {
    const params = (trial.params ?? {}) as Record<string, unknown>;
    const metrics = (trial.metrics ?? {}) as Record<string, unknown>;
    lines.push(
      [
        trial.number,
        trial.state,
        trial.value,
        ...paramNames.map((name) => params[name]),
        ...metricNames.map((name) => metrics[name]),
        trial.origin,
        trial.attempt,
        durationMsOf(trial),
        trial.startedAt?.toISOString(),
        trial.finishedAt?.toISOString(),
        trial.id,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
