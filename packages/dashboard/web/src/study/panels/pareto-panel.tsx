import {
  pageOf,
  paretoReplySchema,
  trialReplySchema,
  type ParetoReply,
  type TrialReply,
} from "@hpo/contracts";
import { useEffect, useMemo, useState } from "react";
import { EChart } from "../../charts/echart.js";
import type { EChartsOption } from "../../charts/echarts-setup.js";
import { axisStyle, palette } from "../../charts/palette.js";
import { tooltipBase, tooltipBox } from "../../charts/tooltip.js";
import { formatCount, formatNumber } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { useSession } from "../../session.js";
import { Panel } from "../../widgets.js";

const trialPage = pageOf(trialReplySchema);

/** Pairs of objectives to draw: the one pair for two objectives, each pair (up to three) for more. */
function objectivePairs(count: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let a = 0; a < Math.min(count, 3); a++)
    for (let b = a + 1; b < Math.min(count, 3); b++) pairs.push([a, b]);
  return pairs;
}

function paretoOption(reply: ParetoReply, others: readonly TrialReply[]): EChartsOption {
  const pairs = objectivePairs(reply.objectives.length);
  const width = 100 / pairs.length;
  const front = new Set(reply.front.map((point) => point.number));
  const valueOf = (trial: TrialReply, index: number): number | undefined => {
    const stored = trial.values[index];
    if (stored !== undefined) return stored;
    const metric = reply.objectives[index]?.metric;
    return metric === undefined ? undefined : trial.metrics?.[metric];
  };
  return {
    animation: false,
    grid: pairs.map((_, i) => ({ left: `${i * width + 8}%`, width: `${width - 12}%`, top: 24, bottom: 48 })),
    xAxis: pairs.map(([a], i) => ({
      type: "value",
      scale: true,
      gridIndex: i,
      name: reply.objectives[a]?.metric,
      nameLocation: "middle",
      nameGap: 28,
      ...axisStyle,
    })),
    yAxis: pairs.map(([, b], i) => ({
      type: "value",
      scale: true,
      gridIndex: i,
      name: reply.objectives[b]?.metric,
      ...axisStyle,
    })),
    tooltip: {
      ...tooltipBase,
      trigger: "item",
      formatter: (item: unknown) => {
        const { data, seriesName } = item as { data: [number, number, number]; seriesName: string };
        return tooltipBox(`Trial #${data[2]}`, [
          ["", seriesName],
          ["x", formatNumber(data[0])],
          ["y", formatNumber(data[1])],
        ]);
      },
    },
    series: pairs.flatMap(([a, b], i) => [
      {
        name: "dominated",
        type: "scatter",
        xAxisIndex: i,
        yAxisIndex: i,
        symbolSize: 5,
        itemStyle: { color: palette.muted, opacity: 0.35 },
        data: others.flatMap((trial) => {
          const x = valueOf(trial, a);
          const y = valueOf(trial, b);
          return x === undefined || y === undefined || front.has(trial.number) ? [] : [[x, y, trial.number]];
        }),
      },
      {
        name: "Pareto front",
        type: "scatter",
        xAxisIndex: i,
        yAxisIndex: i,
        symbolSize: 9,
        itemStyle: { color: palette.best, borderColor: "#ffffff", borderWidth: 1 },
        data: reply.front.map((point) => [point.values[a], point.values[b], point.number]),
        z: 5,
      },
    ]),
  };
}

/**
 * Multi-objective studies: the Pareto front from GET /v1/studies/:id/pareto, over the recent complete trials
 * (dimmed). Shown only where the API answers that route.
 */
export function ParetoPanel({ studyId, refreshKey }: { studyId: string; refreshKey: number }) {
  const { client } = useSession();
  const [reply, setReply] = useState<ParetoReply | null | undefined>(undefined);
  const [others, setOthers] = useState<TrialReply[]>([]);
  const [drawn, setDrawn] = useState(false);
  const shown = reply !== null && (reply === undefined || reply.objectives.length >= 2);
  useReadyReport("pareto", shown ? drawn : null);

  useEffect(() => {
    const controller = new AbortController();
    const load = async () => {
      const pareto = await client.getOptional(
        `/v1/studies/${studyId}/pareto`,
        paretoReplySchema,
        controller.signal,
      );
      if (pareto && pareto.objectives.length >= 2) {
        const page = await client.get(
          `/v1/studies/${studyId}/trials?state=complete&sort=-number&limit=500`,
          trialPage,
          controller.signal,
        );
        setOthers(page.items);
      }
      setReply(pareto);
    };
    load().catch(() => {
      if (!controller.signal.aborted) setReply(null);
    });
    return () => controller.abort();
  }, [client, studyId, refreshKey]);

  const option = useMemo(
    () => (reply && reply.objectives.length >= 2 ? paretoOption(reply, others) : null),
    [reply, others],
  );
  if (!reply || !option) return null;
  return (
    <Panel
      wide
      testId="pareto-panel"
      title="Pareto front"
      hint={`${formatCount(reply.front.length)} non-dominated of ${formatCount(reply.feasible)} feasible trials; the latest complete trials are dimmed.${reply.note ? ` ${reply.note}` : ""}`}
    >
      <EChart label="Pareto front" option={option} height={320} onDrawn={() => setDrawn(true)} />
    </Panel>
  );
}
