import {
  studyReplySchema,
  studySummaryReplySchema,
  type StudyReply,
  type StudySummaryReply,
} from "@hpo/contracts";
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../api/api-client.js";
import { ReadyContext, type ReadyReport } from "../ready.js";
import { useSession } from "../session.js";
import { CloneStudyDialog } from "./clone-study-dialog.js";
import { ManualTrialDialog } from "./manual-trial-dialog.js";
import { BoxPlots } from "./panels/box-plots.js";
import { HeatmapPanel } from "./panels/heatmap-panel.js";
import { HistoryChart } from "./panels/history-chart.js";
import { ImportancePanel } from "./panels/importance-panel.js";
import { IntermediateChart } from "./panels/intermediate-chart.js";
import { ParallelCoordinates } from "./panels/parallel-coordinates.js";
import { ParetoPanel } from "./panels/pareto-panel.js";
import { SlicePlots } from "./panels/slice-plots.js";
import { TrialTable } from "./panels/trial-table.js";
import { StudyHeader } from "./study-header.js";
import { useLiveStudy } from "./use-live-study.js";

type Loaded = { study: StudyReply; summary: StudySummaryReply };

/** Two params for the heat map to start with: the first two numeric ones, else the first two. */
function defaultPair(study: StudyReply): [string, string] {
  const space = study.definition.space;
  const numeric = space.filter((spec) => spec.type !== "categorical");
  const pick = numeric.length >= 2 ? numeric : space;
  return [pick[0]?.name ?? "", pick[1]?.name ?? pick[0]?.name ?? ""];
}

/** `/studies/<id>`: every view of one study, following it live while it runs. */
export function StudyPage({ studyId }: { studyId: string }) {
  const { client } = useSession();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [views, setViews] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [dialog, setDialog] = useState<"trial" | "clone" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setData(null);
    setViews(new Map());
    Promise.all([
      client.get(`/v1/studies/${studyId}`, studyReplySchema, controller.signal),
      client.get(`/v1/studies/${studyId}/summary`, studySummaryReplySchema, controller.signal),
    ])
      .then(([study, summary]) => setData({ study, summary }))
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        setError(
          caught instanceof ApiError && caught.status === 404
            ? "No such study in your project."
            : String(caught),
        );
      });
    return () => controller.abort();
  }, [client, studyId]);

  const setStudy = useCallback(
    (study: StudyReply) => setData((current) => (current ? { ...current, study } : current)),
    [],
  );
  const setSummary = useCallback(
    (update: (summary: StudySummaryReply) => StudySummaryReply) =>
      setData((current) => (current ? { ...current, summary: update(current.summary) } : current)),
    [],
  );
  const { stream, live, aggregateKey } = useLiveStudy(client, studyId, setStudy, setSummary);

  const report = useCallback<ReadyReport>((view, ready) => {
    setViews((current) => {
      if (ready === null ? !current.has(view) : current.get(view) === ready) return current;
      const next = new Map(current);
      if (ready === null) next.delete(view);
      else next.set(view, ready);
      return next;
    });
  }, []);
  const ready = data !== null && views.size > 0 && [...views.values()].every(Boolean);
  const pair = data ? defaultPair(data.study) : null;

  if (error) {
    return (
      <main className="page">
        <div className="alert">{error}</div>
      </main>
    );
  }
  if (!data || !pair) {
    return (
      <main className="page" data-ready="false">
        <div className="skeleton-header" />
        <div className="muted center">Loading the study…</div>
      </main>
    );
  }
  const { study, summary } = data;
  const space = study.definition.space;
  return (
    <ReadyContext.Provider value={report}>
      <main className="page study-page" data-ready={ready ? "true" : "false"}>
        <StudyHeader
          study={study}
          stream={stream}
          onChanged={setStudy}
          onAddTrial={() => setDialog("trial")}
          onClone={() => setDialog("clone")}
        />
        {notice ? (
          <button type="button" className="notice" onClick={() => setNotice(null)}>
            {notice}
          </button>
        ) : null}
        <div className="panels">
          <HistoryChart summary={summary} studyId={study.id} />
          <ParetoPanel studyId={study.id} refreshKey={aggregateKey} />
          <ImportancePanel studyId={study.id} refreshKey={aggregateKey} />
          <IntermediateChart summary={summary} studyId={study.id} />
          <ParallelCoordinates space={space} summary={summary} />
          <SlicePlots space={space} summary={summary} />
          <HeatmapPanel
            studyId={study.id}
            space={space}
            metric={summary.objective.metric}
            initial={pair}
            refreshKey={aggregateKey}
          />
          <BoxPlots summary={summary} />
          <TrialTable
            studyId={study.id}
            studyName={study.name}
            space={space}
            metrics={summary.metrics}
            live={live}
          />
        </div>
        {dialog === "trial" ? (
          <ManualTrialDialog
            studyId={study.id}
            space={space}
            prefill={summary.best?.params ?? null}
            onClose={() => setDialog(null)}
            onCreated={(trial) => {
              setDialog(null);
              setNotice(`Trial #${trial.number} added; it runs before any sampled point.`);
            }}
          />
        ) : null}
        {dialog === "clone" ? <CloneStudyDialog study={study} onClose={() => setDialog(null)} /> : null}
      </main>
    </ReadyContext.Provider>
  );
}
