import type { ParamSpec, ParamValue } from "@hpo/contracts";
import { axisStyle } from "../charts/palette.js";

/** A value on a chart axis: categorical choices become their labels, missing (inactive) params '-'. */
export function axisValue(spec: ParamSpec, value: ParamValue | undefined): number | string {
  if (value === undefined) return "-";
  if (spec.type === "categorical") return String(value);
  return typeof value === "number" ? value : "-";
}

/** The ECharts axis of a param: log for log params, category for categorical ones. */
export function paramAxis(spec: ParamSpec): Record<string, unknown> {
  if (spec.type === "categorical") {
    return { type: "category", data: spec.choices.map(String), name: spec.name, ...axisStyle };
  }
  return {
    type: spec.log ? "log" : "value",
    min: spec.low,
    max: spec.high,
    name: spec.name,
    ...axisStyle,
  };
}
