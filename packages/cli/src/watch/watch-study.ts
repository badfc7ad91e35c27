import { followStudyEvents } from "@hpo/client";
import type { StudyEvent, StudyReply } from "@hpo/contracts";
import logUpdate from "log-update";
import { exitCodes, type ExitCode } from "../exit-codes.js";
import { formatValue } from "../output/format.js";
import type { Output } from "../output/output.js";
import type { Session } from "../session.js";
import { renderWatchFrame, renderWatchSummary } from "./render-watch.js";
import {
  addFinishedTrials,
  applyStudyEvent,
  createWatchModel,
  setRunningTrials,
  setStudy,
  watchExitCode,
  type WatchModel,
} from "./watch-model.js";

/** How soon after an event the study and its running trials are re-read, at most (events come in bursts). */
const refreshDelayMs = 250;

/**
 * `hpo study watch`: follows the study's server-sent events until it ends. On a terminal, a live view
 * redrawn in place (progress bar with ETA, running trials and their latest step, best value and params, a
 * best-so-far chart); elsewhere one line per finished trial; with --json one JSON object per event. Resolves
 * with the exit code: 0 when the study completed, 8 when it was stopped or deleted or no trial completed.
 */
export async function watchStudy(session: Session, study: StudyReply, output: Output): Promise<ExitCode> {
  const model = createWatchModel(study);
  const controller = new AbortController();
  const draw = output.interactive ? logUpdate : null;
  const interrupted = () => controller.abort();
  process.once("SIGINT", interrupted);

  const readFinished = async () => {
    addFinishedTrials(
      model,
      await session.allTrials(model.study.id, { state: "complete,pruned,failed", sort: "number" }),
    );
  };
  const refresh = async () => {
    setStudy(model, await session.study(model.study.id));
    setRunningTrials(
      model,
      await session.allTrials(model.study.id, { state: "running", include: "reports" }),
    );
  };
  let timer: NodeJS.Timeout | null = null;
  let refreshing: Promise<void> = Promise.resolve();
  const scheduleRefresh = () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      refreshing = refreshing
        .then(refresh)
        .then(() => {
          show();
          if (model.ended !== null) controller.abort();
        })
        .catch((error: unknown) => {
          // A failed read only delays the view; the next event or reconnect reads again.
          if (!output.json) output.note(`(could not refresh: ${(error as Error).message})`);
        });
    }, refreshDelayMs);
  };
  const show = () => {
    if (draw) draw(renderWatchFrame(model, Date.now(), output.colors, output.columns));
  };
  const onEvent = (event: StudyEvent) => {
    if (applyStudyEvent(model, event)) scheduleRefresh();
    if (output.json) output.line(JSON.stringify(event));
    else if (!draw) lineFor(model, event, output);
    if (model.ended === "deleted") controller.abort();
    show();
  };

  if (model.ended === null) {
    const ticker = draw ? setInterval(show, 1_000) : null;
    try {
      await followStudyEvents({
        baseUrl: session.connection.apiUrl,
        token: session.connection.token,
        studyId: study.id,
        signal: controller.signal,
        onEvent,
        // On every (re)connection: read the state, since events may have passed unseen.
        onConnected: async () => {
          await readFinished();
          await refresh();
          show();
          if (model.ended !== null) controller.abort();
        },
        onDisconnected: (error) => {
          if (!output.json)
            output.note(`(event stream interrupted: ${(error as Error).message}; reconnecting)`);
        },
      });
    } finally {
      if (ticker) clearInterval(ticker);
      if (timer !== null) clearTimeout(timer);
      process.removeListener("SIGINT", interrupted);
    }
    await refreshing;
  }
  if (model.ended === null) {
    draw?.done();
    return exitCodes.interrupted;
  }
  if (model.ended !== "deleted") await refresh().catch(() => undefined);
  return finish(model, output, draw);
}

function finish(model: WatchModel, output: Output, draw: typeof logUpdate | null): ExitCode {
  const code = watchExitCode(model);
  if (draw) {
    draw(renderWatchFrame(model, Date.now(), output.colors, output.columns));
    draw.done();
  }
  if (output.json) output.line(JSON.stringify({ type: "watch.ended", exitCode: code, study: model.study }));
  else output.line(renderWatchSummary(model, output.colors));
  return code;
}

/** Without a terminal: one line per finished trial and per study change, for logs and CI. */
function lineFor(model: WatchModel, event: StudyEvent, output: Output): void {
  const { maxTrials } = model.study.progress;
  if (event.type === "trial.updated" && event.state !== "running" && event.number !== undefined) {
    const value =
      event.value === undefined || event.value === null
        ? ""
        : ` ${model.study.definition.objective.metric}=${formatValue(event.value)}`;
    output.line(`trial #${event.number} ${event.state}${value}  [${model.finished.size}/${maxTrials}]`);
  } else if (event.type === "study.updated") {
    output.line(`study ${model.study.name} ${event.state}`);
  }
}
