import {
  studyReplySchema,
  studySummaryReplySchema,
  type StudyReply,
  type StudySummaryReply,
} from "@hpo/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
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

/** Two params for the heat map to start with: the first two numeric ones, else the first two. */
function defaultPair(study: StudyReply): [string, string] {
  const space = study.definition.space;
  const numeric = space.filter((spec) => spec.type !== "categorical");
  const pick = numeric.length >= 2 ? numeric : space;
  return [pick[0]?.name ?? "", pick[1]?.name ?? pick[0]?.name ?? ""];
}

/** The views that always draw on the study page (importance and Pareto join when the API has them). */
function requiredViews(study: StudyReply): string[] {
  const views = ["history", "intermediate", "parallel", "slices", "heatmap", "table"];
  if (study.definition.space.some((spec) => spec.type === "categorical")) views.push("boxes");
  return views;
}

function Placeholder({ title, wide }: { title: string; wide?: boolean }) {
  return (
    <section className={wide ? "card panel wide" : "card panel"}>
      <div className="panel-header">
        <h2>{title}</h2>
      </div>
      <div className="chart-placeholder" />
    </section>
  );
}

/**
 * `/studies/<id>`: every view of one study, following it live while it runs. The study, its summary and
 * the views that fetch their own data (trial table, heat map, importance) all load in parallel.
 */
export function StudyPage({ studyId }: { studyId: string }) {
  const { client } = useSession();
  const [study, setStudy] = useState<StudyReply | null>(null);
  const [summary, setSummaryState] = useState<StudySummaryReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<"trial" | "clone" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [importanceShown, setImportanceShown] = useState(false);
  const views = useRef(new Map<string, boolean>());
  const required = useRef<string[]>([]);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const fail = (caught: unknown) => {
      if (controller.signal.aborted) return;
      setError(
        caught instanceof ApiError && caught.status === 404
          ? "No such study in your project."
          : String(caught),
      );
    };
    setStudy(null);
    setSummaryState(null);
    client.get(`/v1/studies/${studyId}`, studyReplySchema, controller.signal).then(setStudy).catch(fail);
    client
      .get(`/v1/studies/${studyId}/summary`, studySummaryReplySchema, controller.signal)
      .then(setSummaryState)
      .catch(fail);
    return () => controller.abort();
  }, [client, studyId]);

  const setSummary = useCallback(
    (update: (current: StudySummaryReply) => StudySummaryReply) =>
      setSummaryState((current) => (current ? update(current) : current)),
    [],
  );
  const { stream, live, aggregateKey } = useLiveStudy(client, studyId, setStudy, setSummary);

  // Readiness lives in a ref: a view reporting re-renders the page only when the page's own marker flips.
  const evaluate = useCallback(() => {
    const map = views.current;
    const all = required.current.length > 0 && required.current.every((view) => map.get(view) === true);
    setDrawn(all && [...map.values()].every(Boolean));
  }, []);
  const report = useCallback<ReadyReport>(
    (view, ready) => {
      if (ready === null) views.current.delete(view);
      else views.current.set(view, ready);
      evaluate();
    },
    [evaluate],
  );
  required.current = study && summary ? requiredViews(study) : [];
  const ready = drawn && summary !== null;
  useEffect(() => {
    if (ready) performance.mark("hpo:data-ready");
  }, [ready]);

  if (error) {
    return (
      <main className="page">
        <div className="alert">{error}</div>
      </main>
    );
  }
  if (!study) {
    return (
      <main className="page" data-ready="false">
        <div className="skeleton-header" />
      </main>
    );
  }
  const space = study.definition.space;
  const metric = study.definition.objective.metric;
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
          {summary ? (
            <HistoryChart summary={summary} studyId={study.id} />
          ) : (
            <Placeholder wide title="Optimization history" />
          )}
          <ParetoPanel studyId={study.id} refreshKey={aggregateKey} />
          {summary ? (
            <IntermediateChart summary={summary} studyId={study.id} />
          ) : (
            <Placeholder title="Intermediate values" />
          )}
          <HeatmapPanel
            studyId={study.id}
            space={space}
            metric={metric}
            initial={defaultPair(study)}
            refreshKey={aggregateKey}
          />
          {summary ? (
            <ParallelCoordinates space={space} summary={summary} />
          ) : (
            <Placeholder wide title="Parallel coordinates" />
          )}
          {summary ? (
            <SlicePlots space={space} summary={summary} />
          ) : (
            <Placeholder wide title="Slice plots" />
          )}
          <ImportancePanel studyId={study.id} refreshKey={aggregateKey} onShown={setImportanceShown} />
          {summary ? <BoxPlots summary={summary} wide={!importanceShown} /> : null}
          <TrialTable
            studyId={study.id}
            studyName={study.name}
            space={space}
            metrics={summary?.metrics ?? []}
            live={live}
          />
        </div>
        {dialog === "trial" ? (
          <ManualTrialDialog
            studyId={study.id}
            space={space}
            prefill={summary?.best?.params ?? null}
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
