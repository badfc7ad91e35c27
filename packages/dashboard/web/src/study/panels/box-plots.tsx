import type { ParamSummary, StudySummaryReply } from "@hpo/contracts";
import { useMemo, useState } from "react";
import { EChart } from "../../charts/echart.js";
import type { EChartsOption } from "../../charts/echarts-setup.js";
import { axisStyle, palette } from "../../charts/palette.js";
import { tooltipBase, tooltipBox } from "../../charts/tooltip.js";
import { formatCount, formatNumber } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { Panel } from "../../widgets.js";

type Categorical = Extract<ParamSummary, { type: "categorical" }>;
const rowHeight = 200;

function boxOption(
  params: readonly Categorical[],
  metric: string,
  minimize: boolean,
  perRow: number,
): EChartsOption {
  const columns = Math.min(perRow, params.length);
  const width = 100 / columns;
  return {
    animation: false,
    grid: params.map((_, index) => ({
      left: `${(index % columns) * width + 7}%`,
      width: `${width - 10}%`,
      top: Math.floor(index / columns) * rowHeight + 24,
      height: rowHeight - 72,
    })),
    xAxis: params.map((param, index) => ({
      type: "category",
      gridIndex: index,
      name: param.name,
      nameLocation: "middle",
      nameGap: 38,
      data: param.choices.map((choice) => `${String(choice.choice)}\n${formatCount(choice.count)}`),
      ...axisStyle,
      axisLabel: { ...axisStyle.axisLabel, interval: 0, fontSize: 10, lineHeight: 13 },
      nameTextStyle: { color: palette.text, fontSize: 11, fontWeight: "bold" },
    })),
    yAxis: params.map((_, index) => ({
      type: "value",
      scale: true,
      gridIndex: index,
      name: index % columns === 0 ? metric : "",
      ...axisStyle,
    })),
    tooltip: {
      ...tooltipBase,
      trigger: "item",
      formatter: (item: unknown) => {
        const { seriesIndex, dataIndex } = item as { seriesIndex: number; dataIndex: number };
        const choice = params[seriesIndex]?.choices[dataIndex];
        if (!choice?.box) return tooltipBox("no complete trial", []);
        const box = choice.box;
        return tooltipBox(`${params[seriesIndex]?.name ?? ""} = ${String(choice.choice)}`, [
          ["trials", formatCount(box.count)],
          ["median", formatNumber(box.median)],
          ["quartiles", `${formatNumber(box.q1)} – ${formatNumber(box.q3)}`],
          ["5th–95th pct", `${formatNumber(box.p05)} – ${formatNumber(box.p95)}`],
          ["mean", formatNumber(box.mean)],
        ]);
      },
    },
    series: params.map((param, index) => {
      const medians = param.choices.map((choice) => choice.box?.median ?? Number.NaN);
      const target = minimize
        ? Math.min(...medians.filter(Number.isFinite))
        : Math.max(...medians.filter(Number.isFinite));
      return {
        name: param.name,
        type: "boxplot",
        xAxisIndex: index,
        yAxisIndex: index,
        boxWidth: [12, 36],
        data: param.choices.map((choice) => {
          const box = choice.box;
          const value = box ? [box.p05, box.q1, box.median, box.q3, box.p95] : [];
          const winner = box !== null && box.median === target;
          return {
            value,
            itemStyle: {
              color: winner ? "rgba(5, 150, 105, 0.18)" : "rgba(79, 70, 229, 0.10)",
              borderColor: winner ? palette.best : palette.complete,
              borderWidth: winner ? 2 : 1.2,
            },
          };
        }),
      };
    }),
  };
}

/** For each categorical param, the objective per choice: "which initializer won" at one glance. */
export function BoxPlots({ summary, wide }: { summary: StudySummaryReply; wide: boolean }) {
  const [drawn, setDrawn] = useState(false);
  const categorical = useMemo(
    () => summary.params.filter((param): param is Categorical => param.type === "categorical"),
    [summary],
  );
  useReadyReport("boxes", categorical.length === 0 ? null : drawn);
  const option = useMemo(
    () =>
      boxOption(
        categorical,
        summary.objective.metric,
        summary.objective.direction === "minimize",
        wide ? 3 : 2,
      ),
    [categorical, summary.objective, wide],
  );
  if (categorical.length === 0) return null;
  const columns = wide ? Math.min(3, categorical.length) : Math.min(2, categorical.length);
  const rows = Math.ceil(categorical.length / columns);
  return (
    <Panel
      wide={wide}
      testId="box-panel"
      title="Objective per choice"
      hint={`Boxes span the quartiles, whiskers the 5th–95th percentiles, the best median is green; the number under each choice counts its trials (of ${formatCount(summary.distributionTrials)}).`}
    >
      <EChart
        label="Objective per choice"
        option={option}
        height={rows * rowHeight}
        onDrawn={() => setDrawn(true)}
      />
    </Panel>
  );
}
