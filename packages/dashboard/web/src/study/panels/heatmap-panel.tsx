import { heatmapReplySchema, type HeatmapAxis, type HeatmapReply, type Space } from "@hpo/contracts";
import { useEffect, useMemo, useState } from "react";
import { EChart } from "../../charts/echart.js";
import type { EChartsOption } from "../../charts/echarts-setup.js";
import { axisStyle, palette } from "../../charts/palette.js";
import { tooltipBase, tooltipBox } from "../../charts/tooltip.js";
import { formatCount, formatNumber } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { useSession } from "../../session.js";
import { Panel } from "../../widgets.js";

function labels(axis: HeatmapAxis): string[] {
  if (axis.kind === "categorical") return axis.choices.map(String);
  return axis.edges.slice(0, -1).map((edge, i) => {
    const next = axis.edges[i + 1] ?? edge;
    return formatNumber(axis.log ? Math.sqrt(edge * next) : (edge + next) / 2);
  });
}

function range(axis: HeatmapAxis, index: number): string {
  if (axis.kind === "categorical") return String(axis.choices[index]);
  return `${formatNumber(axis.edges[index])} – ${formatNumber(axis.edges[index + 1])}`;
}

function heatmapOption(reply: HeatmapReply, metric: string): EChartsOption {
  const bests = reply.cells.map((cell) => cell.best);
  const low = bests.length ? Math.min(...bests) : 0;
  const high = bests.length ? Math.max(...bests) : 1;
  const minimize = reply.direction === "minimize";
  return {
    animation: false,
    grid: { left: 72, right: 96, top: 16, bottom: 56 },
    xAxis: {
      type: "category",
      data: labels(reply.x),
      name: reply.x.name,
      nameLocation: "middle",
      nameGap: 36,
      ...axisStyle,
      splitArea: { show: false },
    },
    yAxis: { type: "category", data: labels(reply.y), name: reply.y.name, nameLocation: "end", ...axisStyle },
    visualMap: {
      type: "continuous",
      dimension: 2,
      min: low,
      max: high === low ? low + 1 : high,
      calculable: true,
      right: 4,
      top: "middle",
      itemHeight: 160,
      precision: 3,
      inRange: { color: minimize ? [...palette.scale] : [...palette.scale].reverse() },
      textStyle: { color: palette.textMuted, fontSize: 10 },
    },
    tooltip: {
      ...tooltipBase,
      trigger: "item",
      formatter: (params: unknown) => {
        const { data } = params as { data: [number, number, number, number, number] };
        const [x, y, best, mean, count] = data;
        return tooltipBox(`${reply.x.name} ${range(reply.x, x)} · ${reply.y.name} ${range(reply.y, y)}`, [
          [`best ${metric}`, formatNumber(best)],
          [`mean ${metric}`, formatNumber(mean)],
          ["trials", formatCount(count)],
        ]);
      },
    },
    series: [
      {
        type: "heatmap",
        data: reply.cells.map((cell) => [cell.x, cell.y, cell.best, cell.mean, cell.count]),
        itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: palette.text, borderWidth: 1 } },
      },
    ],
  };
}

export function HeatmapPanel({
  studyId,
  space,
  metric,
  initial,
  refreshKey,
}: {
  studyId: string;
  space: Space;
  metric: string;
  initial: [string, string];
  /** Changes when the study has new results: the map is fetched again (it is an aggregate). */
  refreshKey: number;
}) {
  const { client } = useSession();
  const [x, setX] = useState(initial[0]);
  const [y, setY] = useState(initial[1]);
  const [reply, setReply] = useState<HeatmapReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drawn, setDrawn] = useState(false);
  useReadyReport("heatmap", drawn || error !== null);

  useEffect(() => {
    const controller = new AbortController();
    const query = new URLSearchParams({ x, y }).toString();
    client
      .get(`/v1/studies/${studyId}/heatmap?${query}`, heatmapReplySchema, controller.signal)
      .then((data) => {
        setReply(data);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught instanceof Error ? caught.message : String(caught));
      });
    return () => controller.abort();
  }, [client, studyId, x, y, refreshKey]);

  const option = useMemo(() => (reply ? heatmapOption(reply, metric) : null), [reply, metric]);
  const select = (value: string, onChange: (name: string) => void, label: string) => (
    <select
      className="input compact"
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    >
      {space.map((spec) => (
        <option key={spec.name} value={spec.name}>
          {spec.name}
        </option>
      ))}
    </select>
  );
  return (
    <Panel
      testId="heatmap-panel"
      title="Contour map"
      hint={`Best ${metric} per cell of two params${reply ? ` (${formatCount(reply.trialsUsed)} trials binned)` : ""}.`}
      actions={
        <>
          {select(x, setX, "Heat map x param")}
          <span className="muted small">×</span>
          {select(y, setY, "Heat map y param")}
        </>
      }
    >
      {error ? <div className="alert">{error}</div> : null}
      {option ? (
        <EChart label="Contour map" option={option} height={320} onDrawn={() => setDrawn(true)} />
      ) : (
        <div className="chart-placeholder" />
      )}
    </Panel>
  );
}
