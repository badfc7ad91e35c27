import { importanceReplySchema, type ImportanceReply } from "@hpo/contracts";
import { useEffect, useMemo, useState } from "react";
import { EChart } from "../../charts/echart.js";
import type { EChartsOption } from "../../charts/echarts-setup.js";
import { axisStyle, palette } from "../../charts/palette.js";
import { tooltipBase, tooltipBox } from "../../charts/tooltip.js";
import { formatCount } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { useSession } from "../../session.js";
import { Panel } from "../../widgets.js";

function importanceOption(objective: ImportanceReply["objectives"][number]): EChartsOption {
  const params = [...objective.params].reverse();
  return {
    animation: false,
    grid: { left: 120, right: 48, top: 8, bottom: 28 },
    xAxis: {
      type: "value",
      max: 1,
      ...axisStyle,
      axisLabel: { ...axisStyle.axisLabel, formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
    yAxis: { type: "category", data: params.map((param) => param.name), ...axisStyle },
    tooltip: {
      ...tooltipBase,
      trigger: "item",
      formatter: (item: unknown) => {
        const { name, value } = item as { name: string; value: number };
        return tooltipBox(name, [["importance", `${(value * 100).toFixed(1)}%`]]);
      },
    },
    series: [
      {
        type: "bar",
        data: params.map((param) => param.importance),
        itemStyle: { color: palette.complete, borderRadius: [0, 3, 3, 0] },
        barMaxWidth: 18,
        label: {
          show: true,
          position: "right",
          color: palette.textMuted,
          fontSize: 10,
          formatter: (p: { value: number }) => `${Math.round(p.value * 100)}%`,
        },
      },
    ],
  };
}

/**
 * Parameter importance as the API computes it (GET /v1/studies/:id/importance); shown only where the API
 * has that route, never recomputed here.
 */
export function ImportancePanel({
  studyId,
  refreshKey,
  onShown,
}: {
  studyId: string;
  refreshKey: number;
  /** Tells the page whether the panel is on it (the box plots then share its row). */
  onShown: (shown: boolean) => void;
}) {
  const { client } = useSession();
  const [reply, setReply] = useState<ImportanceReply | null | undefined>(undefined);
  const [drawn, setDrawn] = useState(false);
  const objective = reply?.objectives[0];
  useReadyReport(
    "importance",
    reply === null ? null : drawn || (reply !== undefined && !objective?.params.length),
  );

  useEffect(() => {
    const controller = new AbortController();
    client
      .getOptional(`/v1/studies/${studyId}/importance`, importanceReplySchema, controller.signal)
      .then(setReply)
      .catch(() => {
        if (!controller.signal.aborted) setReply(null);
      });
    return () => controller.abort();
  }, [client, studyId, refreshKey]);

  const option = useMemo(() => (objective ? importanceOption(objective) : null), [objective]);
  const shown = Boolean(reply && objective);
  useEffect(() => onShown(shown), [onShown, shown]);
  if (!reply || !objective) return null;
  return (
    <Panel
      testId="importance-panel"
      title="Parameter importance"
      hint={`${reply.method}, from ${formatCount(objective.trialsUsed)} complete trials.`}
    >
      {option && objective.params.length > 0 ? (
        <EChart
          label="Parameter importance"
          option={option}
          height={Math.max(160, objective.params.length * 30 + 40)}
          onDrawn={() => setDrawn(true)}
        />
      ) : (
        <div className="empty">Not enough complete trials yet.</div>
      )}
    </Panel>
  );
}
