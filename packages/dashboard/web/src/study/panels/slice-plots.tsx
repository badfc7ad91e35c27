import type { Space, StudySummaryReply } from "@hpo/contracts";
import { useMemo, useState } from "react";
import { EChart } from "../../charts/echart.js";
import type { EChartsOption } from "../../charts/echarts-setup.js";
import { axisStyle, palette } from "../../charts/palette.js";
import { tooltipBase, tooltipBox } from "../../charts/tooltip.js";
import { formatNumber } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { Panel } from "../../widgets.js";
import { axisValue, paramAxis } from "../space-axes.js";

const columns = 3;
const rowHeight = 210;

function sliceOption(space: Space, summary: StudySummaryReply): EChartsOption {
  const width = 100 / columns;
  const trials = summary.sample.trials;
  const numbers = trials.number;
  const grids = space.map((_, index) => {
    const column = index % columns;
    const row = Math.floor(index / columns);
    return {
      left: `${column * width + 5.5}%`,
      width: `${width - 8}%`,
      top: row * rowHeight + 22,
      height: rowHeight - 70,
    };
  });
  return {
    animation: false,
    grid: grids,
    xAxis: space.map((spec, index) => ({
      ...paramAxis(spec),
      gridIndex: index,
      nameLocation: "middle",
      nameGap: 24,
      nameTextStyle: { color: palette.text, fontSize: 11, fontWeight: "bold" },
    })),
    yAxis: space.map((_, index) => ({
      type: "value",
      scale: true,
      gridIndex: index,
      ...axisStyle,
      axisLabel: { ...axisStyle.axisLabel, fontSize: 10 },
    })),
    tooltip: {
      ...tooltipBase,
      trigger: "item",
      formatter: (params: unknown) => {
        const { data, seriesName } = params as {
          data: [number | string, number, number];
          seriesName: string;
        };
        return tooltipBox(`Trial #${data[2]}`, [
          [seriesName, typeof data[0] === "number" ? formatNumber(data[0]) : data[0]],
          [summary.objective.metric, formatNumber(data[1])],
        ]);
      },
    },
    series: space.map((spec, index) => ({
      name: spec.name,
      type: "scatter",
      xAxisIndex: index,
      yAxisIndex: index,
      symbolSize: numbers.length < 400 ? 7 : 4,
      itemStyle: { color: palette.complete, opacity: numbers.length < 400 ? 0.85 : 0.45 },
      // Large mode draws all points as one path: thousands of points cost one draw call.
      large: true,
      largeThreshold: 400,
      data: numbers.flatMap((number, i) => {
        const x = axisValue(spec, trials.params[spec.name]?.[i] ?? undefined);
        return x === "-" ? [] : [[x, trials.value[i], number]];
      }),
    })),
  };
}

export function SlicePlots({ space, summary }: { space: Space; summary: StudySummaryReply }) {
  const [drawn, setDrawn] = useState(false);
  useReadyReport("slices", drawn);
  const option = useMemo(() => sliceOption(space, summary), [space, summary]);
  const rows = Math.ceil(space.length / columns);
  return (
    <Panel
      wide
      testId="slice-panel"
      title="Slice plots"
      hint={`${summary.objective.metric} against each param, for the same trials as the parallel coordinates.`}
    >
      <EChart label="Slice plots" option={option} height={rows * rowHeight} onDrawn={() => setDrawn(true)} />
    </Panel>
  );
}
