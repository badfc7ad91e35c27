import { pageOf, studyReplySchema, trialReplySchema, type StudyReply, type TrialReply } from "@hpo/contracts";
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { EChart } from "../charts/echart.js";
import type { EChartsOption } from "../charts/echarts-setup.js";
import { axisStyle, palette } from "../charts/palette.js";
import { tooltipBase, tooltipBox } from "../charts/tooltip.js";
import { formatDuration, formatNumber, formatParam, formatTime } from "../format.js";
import { useApi } from "../use-api.js";
import { Panel, StateBadge, Stat } from "../widgets.js";
import { DiagnosticsPanel } from "./diagnostics-panel.js";

const trialPage = pageOf(trialReplySchema);
const logTailLines = 200;
const seriesColors = [palette.complete, palette.best, palette.pruned, palette.running, "#9333ea", "#be185d"];

function stepsOption(trial: TrialReply, objective: string): EChartsOption {
  const reports = trial.reports ?? [];
  const names = [...new Set(reports.flatMap((report) => Object.keys(report.metrics ?? {})))].filter(
    (name) => name !== objective,
  );
  const series = [
    { name: objective, axis: 0, points: reports.map((report) => [report.step, report.value]) },
    ...names.map((name) => ({
      name,
      axis: 1,
      points: reports.flatMap((report) => {
        const value = report.metrics?.[name];
        return value === undefined ? [] : [[report.step, value]];
      }),
    })),
  ];
  return {
    animation: false,
    grid: { left: 64, right: names.length > 0 ? 64 : 24, top: 36, bottom: 40 },
    legend: { top: 4, textStyle: { color: palette.textMuted, fontSize: 11 } },
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
    yAxis: [
      { type: "value", scale: true, name: objective, ...axisStyle },
      {
        type: "value",
        scale: true,
        name: names.length === 1 ? names[0] : "other metrics",
        show: names.length > 0,
        ...axisStyle,
        splitLine: { show: false },
      },
    ],
    tooltip: {
      ...tooltipBase,
      trigger: "item",
      formatter: (item: unknown) => {
        const { seriesName, data } = item as { seriesName: string; data: [number, number] };
        return tooltipBox(`step ${data[0]}`, [[seriesName, formatNumber(data[1])]]);
      },
    },
    series: series.map((entry, index) => ({
      name: entry.name,
      type: "line",
      yAxisIndex: entry.axis,
      data: entry.points,
      symbolSize: 6,
      lineStyle: { width: index === 0 ? 2.5 : 1.5, color: seriesColors[index % seriesColors.length] },
      itemStyle: { color: seriesColors[index % seriesColors.length] },
    })),
  };
}

/** `/studies/<id>/trials/<number>`: one trial's params, metrics, per-step values, log tail and diagnostics. */
export function TrialPage({ studyId, number }: { studyId: string; number: number }) {
  const [polling, setPolling] = useState(false);
  const loaded = useApi(
    async (client, signal): Promise<{ study: StudyReply; trial: TrialReply | null; log: string }> => {
      const [study, page] = await Promise.all([
        client.get(`/v1/studies/${studyId}`, studyReplySchema, signal),
        client.get(
          `/v1/studies/${studyId}/trials?numberMin=${number}&numberMax=${number}&limit=1&include=reports`,
          trialPage,
          signal,
        ),
      ]);
      const trial = page.items[0] ?? null;
      const log = trial ? await client.getText(`/v1/trials/${trial.id}/logs`, signal) : "";
      const active = trial !== null && ["waiting", "queued", "running"].includes(trial.state);
      setPolling(active);
      return { study, trial, log };
    },
    `${studyId}:${number}`,
    polling ? 2_000 : undefined,
  );
  const data = loaded.data;
  const trial = data?.trial ?? null;
  const objective = data?.study.definition.objective.metric ?? "value";
  const option = useMemo(() => (trial ? stepsOption(trial, objective) : null), [trial, objective]);
  const [drawn, setDrawn] = useState(false);
  const logTail = useMemo(() => {
    const lines = (data?.log ?? "").split("\n");
    return { text: lines.slice(-logTailLines).join("\n"), cut: lines.length > logTailLines };
  }, [data?.log]);

  if (loaded.error && !data) {
    return (
      <main className="page">
        <div className="alert">{loaded.error.message}</div>
      </main>
    );
  }
  if (!data)
    return (
      <main className="page" data-ready="false">
        <div className="muted center">Loading the trial…</div>
      </main>
    );
  if (!trial) {
    return (
      <main className="page">
        <div className="alert">
          Trial #{number} does not exist in {data.study.name}.
        </div>
      </main>
    );
  }
  const reports = trial.reports ?? [];
  const ready = reports.length === 0 || drawn;
  return (
    <main className="page" data-ready={ready ? "true" : "false"}>
      <section className="card study-header">
        <div className="crumbs">
          <Link href="/" className="muted">
            Studies
          </Link>{" "}
          /{" "}
          <Link href={`/studies/${studyId}`} className="muted">
            {data.study.name}
          </Link>{" "}
          / <span>trial #{trial.number}</span>
        </div>
        <h1>
          Trial #{trial.number} <StateBadge state={trial.state} />
        </h1>
        <p className="muted">
          {trial.origin} · attempt {trial.attempt + 1}
          {trial.workerId ? ` · worker ${trial.workerId}` : ""}
          {trial.backend ? ` · backend ${trial.backend}` : ""}
          {trial.gpu ? ` · GPU ${trial.gpu}` : ""}
        </p>
        <div className="stats">
          <Stat
            label={objective}
            value={<span data-testid="trial-value">{formatNumber(trial.value)}</span>}
          />
          <Stat label="Duration" value={formatDuration(trial.durationMs)} />
          <Stat label="Started" value={formatTime(trial.startedAt)} />
          <Stat label="Finished" value={formatTime(trial.finishedAt)} />
          <Stat label="Steps reported" value={String(reports.length)} />
        </div>
        {trial.error ? <div className="alert">{trial.error}</div> : null}
      </section>
      <div className="panels">
        <Panel title="Params">
          <table className="table kv">
            <tbody>
              {data.study.definition.space.map((spec) => (
                <tr key={spec.name}>
                  <th>{spec.name}</th>
                  <td className="num">{formatParam(trial.params[spec.name])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title="Metrics">
          {trial.metrics && Object.keys(trial.metrics).length > 0 ? (
            <table className="table kv">
              <tbody>
                {Object.entries(trial.metrics).map(([name, value]) => (
                  <tr key={name}>
                    <th>{name}</th>
                    <td className="num">{formatNumber(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <div className="empty">No final metrics yet.</div>
          )}
        </Panel>
        <Panel
          wide
          title="Per-step values"
          hint={`${objective} on the left axis, other reported metrics on the right.`}
        >
          {option && reports.length > 0 ? (
            <EChart label="Per-step values" option={option} height={280} onDrawn={() => setDrawn(true)} />
          ) : (
            <div className="empty">This trial reported no intermediate values.</div>
          )}
        </Panel>
        <DiagnosticsPanel diagnostics={trial.diagnostics} />
        <Panel
          wide
          title="Log"
          hint={logTail.cut ? `The last ${logTailLines} lines.` : "The trainer's output."}
        >
          {logTail.text.trim() === "" ? (
            <div className="empty">No output was recorded.</div>
          ) : (
            <pre className="log" data-testid="log-tail">
              {logTail.text}
            </pre>
          )}
        </Panel>
      </div>
    </main>
  );
}
