import type { StudySummaryReply } from "@hpo/contracts";
import { useMemo, useState } from "react";
import { useLocation } from "wouter";
import { EChart } from "../../charts/echart.js";
import type { EChartsOption } from "../../charts/echarts-setup.js";
import { axisStyle, palette } from "../../charts/palette.js";
import { tooltipBase, tooltipBox } from "../../charts/tooltip.js";
import { formatNumber } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { Panel } from "../../widgets.js";

function colorOf(state: string, isBest: boolean): string {
  if (isBest) return palette.best;
  if (state === "pruned") return palette.pruned;
  if (state === "running") return palette.running;
  if (state === "failed") return palette.failed;
  return palette.completeSoft;
}

function intermediateOption(summary: StudySummaryReply): EChartsOption {
  const bestNumber = summary.best?.number;
  const curves = [...summary.intermediate.curves].sort((a, b) => {
    // Draw order: plain curves first, then pruned, running and the best on top.
    const rank = (state: string, number: number) =>
      number === bestNumber ? 3 : state === "running" ? 2 : state === "pruned" ? 1 : 0;
    return rank(a.state, a.number) - rank(b.state, b.number);
  });
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 16, bottom: 40 },
    xAxis: {
      type: "value",
      name: "step",
      nameLocation: "middle",
      nameGap: 26,
      minInterval: 1,
      min: "dataMin",
      max: "dataMax",
      ...axisStyle,
    },
    yAxis: { type: "value", name: summary.objective.metric, scale: true, ...axisStyle },
    tooltip: {
      ...tooltipBase,
      trigger: "item",
      formatter: (item: unknown) => {
        const { seriesName, data } = item as {
          seriesName: string;
          data: { value: [number, number] } | [number, number];
        };
        const [step, value] = Array.isArray(data) ? data : data.value;
        return tooltipBox(seriesName, [
          ["step", String(step)],
          [summary.objective.metric, formatNumber(value)],
        ]);
      },
    },
    series: curves.map((curve) => {
      const isBest = curve.number === bestNumber;
      const color = colorOf(curve.state, isBest);
      const last = curve.steps.length - 1;
      return {
        name: `Trial #${curve.number} (${isBest ? "best" : curve.state})`,
        type: "line",
        showSymbol: false,
        symbolSize: 7,
        z: isBest ? 10 : curve.state === "running" ? 8 : 2,
        lineStyle: {
          color,
          width: isBest || curve.state === "running" ? 2.2 : 1,
          opacity: isBest ? 1 : 0.75,
        },
        itemStyle: { color },
        emphasis: { focus: "series", lineStyle: { width: 2.5 } },
        data: curve.steps.map((step, index) => {
          const value: [number, number] = [step, curve.values[index] ?? Number.NaN];
          // A pruned trial ends on a marker where the pruner stopped it.
          return index === last && curve.state === "pruned"
            ? { value, symbol: "triangle", symbolSize: 8, itemStyle: { color } }
            : value;
        }),
        ...(curve.state === "pruned" ? { showAllSymbol: false, showSymbol: true, symbol: "none" } : {}),
      };
    }),
  };
}

export function IntermediateChart({ summary, studyId }: { summary: StudySummaryReply; studyId: string }) {
  const [drawn, setDrawn] = useState(false);
  const [, navigate] = useLocation();
  const curves = summary.intermediate.curves;
  useReadyReport("intermediate", curves.length === 0 ? true : drawn);
  const option = useMemo(() => intermediateOption(summary), [summary]);
  return (
    <Panel
      testId="intermediate-panel"
      title="Intermediate values"
      hint={`Per-step ${summary.objective.metric} of ${curves.length} trials: the best, the running, the pruned (▲ where stopped) and an even spread of the rest.`}
    >
      {curves.length === 0 ? (
        <div className="empty">No trial has reported intermediate values yet.</div>
      ) : (
        <>
          <EChart
            label="Intermediate values"
            option={option}
            height={300}
            onDrawn={() => setDrawn(true)}
            onItemClick={({ seriesName }) => {
              const number = /^Trial #(\d+)/.exec(seriesName ?? "")?.[1];
              if (number !== undefined) navigate(`/studies/${studyId}/trials/${number}`);
            }}
          />
          <div className="legend">
            <span className="legend-item best">best trial</span>
            <span className="legend-item running">running</span>
            <span className="legend-item pruned">pruned</span>
            <span className="legend-item complete">complete</span>
          </div>
        </>
      )}
    </Panel>
  );
}
