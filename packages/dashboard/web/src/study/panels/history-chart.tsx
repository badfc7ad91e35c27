import type { StudySummaryReply } from "@hpo/contracts";
import { useMemo, useState } from "react";
import { useLocation } from "wouter";
import { EChart } from "../../charts/echart.js";
import type { EChartsOption } from "../../charts/echarts-setup.js";
import { axisStyle, palette } from "../../charts/palette.js";
import { tooltipBase, tooltipBox } from "../../charts/tooltip.js";
import { formatCount, formatNumber } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { Panel } from "../../widgets.js";

type Point = [number, number];

function historyOption(summary: StudySummaryReply): EChartsOption {
  const complete: Point[] = [];
  const pruned: Point[] = [];
  const failedNumbers: number[] = [];
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  const { number: numbers, state: states, value: values } = summary.history.points;
  numbers.forEach((number, i) => {
    const value = values[i] ?? null;
    if (value === null) {
      failedNumbers.push(number);
      return;
    }
    low = Math.min(low, value);
    high = Math.max(high, value);
    if (states[i] === "pruned") pruned.push([number, value]);
    else if (states[i] === "complete") complete.push([number, value]);
  });
  if (!Number.isFinite(low)) [low, high] = [0, 1];
  // Failed trials have no value: they sit on a strip just below the lowest one.
  const floor = low - (high - low || 1) * 0.04;
  const failed: Point[] = failedNumbers.map((number) => [number, floor]);
  const steps: Point[] = summary.bestSoFar.map((step) => [step.number, step.value]);
  const lastStep = steps.at(-1);
  if (lastStep && summary.maxNumber !== null && summary.maxNumber > lastStep[0]) {
    steps.push([summary.maxNumber, lastStep[1]]);
  }
  const big = numbers.length > 400;
  const scatter = (name: string, data: Point[], color: string, symbol: string, size: number) => ({
    name,
    type: "scatter" as const,
    data,
    symbol,
    symbolSize: size,
    itemStyle: { color },
    large: big,
    largeThreshold: 400,
    emphasis: { scale: 1.6 },
  });
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 36, bottom: 56 },
    legend: {
      top: 4,
      right: 8,
      textStyle: { color: palette.textMuted, fontSize: 11 },
      itemWidth: 12,
      itemHeight: 8,
    },
    xAxis: {
      type: "value",
      name: "trial number",
      nameLocation: "middle",
      nameGap: 28,
      min: 0,
      max: Math.max(1, summary.maxNumber ?? 1),
      ...axisStyle,
    },
    yAxis: { type: "value", name: summary.objective.metric, scale: true, ...axisStyle },
    dataZoom: [
      { type: "inside", xAxisIndex: 0 },
      { type: "slider", xAxisIndex: 0, height: 14, bottom: 6 },
    ],
    tooltip: {
      ...tooltipBase,
      trigger: "item",
      formatter: (params: unknown) => {
        const { seriesName, data } = params as { seriesName: string; data: Point };
        if (seriesName === "failed") return tooltipBox(`Trial #${data[0]}`, [["state", "failed (no value)"]]);
        return tooltipBox(`Trial #${data[0]}`, [
          [seriesName === "best so far" ? "best so far" : summary.objective.metric, formatNumber(data[1])],
          ["state", seriesName === "best so far" ? "complete" : seriesName],
        ]);
      },
    },
    series: [
      scatter("complete", complete, big ? palette.completeSoft : palette.complete, "circle", big ? 4 : 7),
      scatter("pruned", pruned, palette.pruned, "triangle", big ? 6 : 8),
      scatter("failed", failed, palette.failed, "diamond", big ? 6 : 8),
      {
        name: "best so far",
        type: "line",
        step: "end",
        data: steps,
        showSymbol: true,
        symbolSize: 5,
        lineStyle: { color: palette.best, width: 2 },
        itemStyle: { color: palette.best },
        z: 5,
      },
    ],
  };
}

export function HistoryChart({ summary, studyId }: { summary: StudySummaryReply; studyId: string }) {
  const [drawn, setDrawn] = useState(false);
  const [, navigate] = useLocation();
  useReadyReport("history", drawn);
  const option = useMemo(() => historyOption(summary), [summary]);
  const { history } = summary;
  return (
    <Panel
      wide
      testId="history-panel"
      title="Optimization history"
      hint={
        history.sampled
          ? `${formatCount(history.finished)} finished trials, drawn as the lowest and highest value per ${formatCount(Math.ceil((summary.maxNumber ?? 0) / 1000))} trials; the best-so-far line is exact.`
          : `${formatCount(history.finished)} finished trials. Pruned ▲ and failed ◆ trials are marked; click a point to open the trial.`
      }
    >
      <EChart
        label="Optimization history"
        option={option}
        height={320}
        onDrawn={() => setDrawn(true)}
        onItemClick={({ data, seriesName }) => {
          if (seriesName === "best so far" || !Array.isArray(data) || typeof data[0] !== "number") return;
          navigate(`/studies/${studyId}/trials/${data[0]}`);
        }}
      />
    </Panel>
  );
}
