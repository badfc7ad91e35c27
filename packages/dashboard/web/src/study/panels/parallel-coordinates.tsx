import type { Space, StudySummaryReply } from "@hpo/contracts";
import { useMemo, useState } from "react";
import { EChart } from "../../charts/echart.js";
import type { EChartsOption } from "../../charts/echarts-setup.js";
import { palette } from "../../charts/palette.js";
import { formatCount } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { Panel } from "../../widgets.js";
import { axisValue } from "../space-axes.js";

function parallelOption(space: Space, summary: StudySummaryReply): EChartsOption {
  const trials = summary.sample.trials;
  const values = trials.value;
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  const objectiveIndex = space.length;
  const minimize = summary.objective.direction === "minimize";
  return {
    animation: false,
    parallel: {
      left: 48,
      right: 96,
      top: 40,
      bottom: 28,
      parallelAxisDefault: {
        nameTextStyle: { color: palette.text, fontSize: 11 },
        axisLabel: { color: palette.textMuted, fontSize: 10 },
        axisLine: { lineStyle: { color: "#cbd5e1" } },
      },
    },
    parallelAxis: [
      ...space.map((spec, dim) =>
        spec.type === "categorical"
          ? { dim, name: spec.name, type: "category", data: spec.choices.map(String) }
          : { dim, name: spec.name, type: spec.log ? "log" : "value", min: spec.low, max: spec.high },
      ),
      {
        dim: objectiveIndex,
        name: summary.objective.metric,
        type: "value",
        scale: true,
        nameTextStyle: { fontWeight: "bold" },
      },
    ],
    visualMap: {
      type: "continuous",
      dimension: objectiveIndex,
      min: low,
      max: high === low ? low + 1 : high,
      inRange: { color: minimize ? [...palette.scale] : [...palette.scale].reverse() },
      right: 4,
      top: "middle",
      itemHeight: 140,
      calculable: true,
      precision: 3,
      textStyle: { color: palette.textMuted, fontSize: 10 },
    },
    series: [
      {
        type: "parallel",
        // Few lines are drawn strong, thousands faint so that their density shows.
        lineStyle: {
          width: values.length < 100 ? 1.6 : 1,
          opacity: values.length < 100 ? 0.85 : values.length < 500 ? 0.55 : 0.35,
        },
        emphasis: { lineStyle: { width: 2, opacity: 1 } },
        progressive: 0,
        data: values.map((value, i) => [
          ...space.map((spec) => axisValue(spec, trials.params[spec.name]?.[i] ?? undefined)),
          value,
        ]),
      },
    ],
  };
}

export function ParallelCoordinates({ space, summary }: { space: Space; summary: StudySummaryReply }) {
  const [drawn, setDrawn] = useState(false);
  useReadyReport("parallel", drawn);
  const option = useMemo(() => parallelOption(space, summary), [space, summary]);
  const drawnCount = summary.sample.trials.number.length;
  const sampled = drawnCount < summary.sample.complete;
  return (
    <Panel
      wide
      testId="parallel-panel"
      title="Parallel coordinates"
      hint={`${formatCount(drawnCount)} complete trials${sampled ? ` (the best and an even spread of ${formatCount(summary.sample.complete)})` : ""}; colored by ${summary.objective.metric}. Drag on the color scale to keep a range.`}
    >
      <EChart label="Parallel coordinates" option={option} height={340} onDrawn={() => setDrawn(true)} />
    </Panel>
  );
}
