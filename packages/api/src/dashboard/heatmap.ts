import type { Direction, HeatmapAxis, HeatmapReply, ParamSpec, Params } from "@hpo/contracts";
import { binEdges, binOf, choiceIndex } from "./param-distributions.js";

interface Axis {
  reply: HeatmapAxis;
  cellOf: (params: Params) => number | null;
}

function axisOf(spec: ParamSpec, bins: number): Axis {
  if (spec.type === "categorical") {
    return {
      reply: { kind: "categorical", name: spec.name, choices: spec.choices },
      cellOf: (params) => {
        const value = params[spec.name];
        if (value === undefined) return null;
        const index = choiceIndex(spec, value);
        return index < 0 ? null : index;
      },
    };
  }
  // An int param with fewer values than bins gets one bin per value.
  const count = spec.type === "int" && spec.log !== true ? Math.min(bins, spec.high - spec.low + 1) : bins;
  const range = spec.type === "int" && count < bins ? { low: spec.low - 0.5, high: spec.high + 0.5 } : spec;
  return {
    reply: { kind: "numeric", name: spec.name, log: spec.log === true, edges: binEdges(range, count) },
    cellOf: (params) => {
      const value = params[spec.name];
      return typeof value === "number" ? binOf(range, value, count) : null;
    },
  };
}

/**
 * The heat map of two params: per cell, the best objective value and the mean and count of the trials in
 * it. Trials where either param is inactive are left out.
 */
export function binHeatmap(
  xSpec: ParamSpec,
  ySpec: ParamSpec,
  rows: readonly { params: Params; value: number }[],
  direction: Direction,
  bins: number,
): Omit<HeatmapReply, "trialsUsed"> {
  const x = axisOf(xSpec, bins);
  const y = axisOf(ySpec, bins);
  const cells = new Map<string, { x: number; y: number; count: number; best: number; sum: number }>();
  for (const row of rows) {
    const cx = x.cellOf(row.params);
    const cy = y.cellOf(row.params);
    if (cx === null || cy === null) continue;
    const key = `${cx}:${cy}`;
    const cell = cells.get(key);
    if (!cell) {
      cells.set(key, { x: cx, y: cy, count: 1, best: row.value, sum: row.value });
      continue;
    }
    cell.count += 1;
    cell.sum += row.value;
    cell.best = direction === "minimize" ? Math.min(cell.best, row.value) : Math.max(cell.best, row.value);
  }
  return {
    x: x.reply,
    y: y.reply,
    direction,
    cells: [...cells.values()].map((cell) => ({
      x: cell.x,
      y: cell.y,
      count: cell.count,
      best: cell.best,
      mean: cell.sum / cell.count,
    })),
  };
}
