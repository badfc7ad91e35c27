import type { StudyEvent, StudyReply, TrialReply, TrialState } from "@hpo/contracts";
import { isFinishedTrialState } from "@hpo/contracts";
import { exitCodes, type ExitCode } from "../exit-codes.js";

export interface RunningTrial {
  id: string;
  number: number | null;
  /** The latest reported step and its value. */
  step: number | null;
  value: number | null;
  startedAt: string | null;
}

export interface FinishedTrial {
  number: number;
  state: TrialState;
  value: number | null;
}

/**
 * What `hpo study watch` shows, kept up to date from the study's events (hints, applied at once) and from
 * reads of the study and its running trials (the truth, re-read shortly after events and on reconnect).
 */
export interface WatchModel {
  study: StudyReply;
  running: Map<string, RunningTrial>;
  /** Finished trials by number (complete, pruned, failed), for the best-so-far chart. */
  finished: Map<number, FinishedTrial>;
  /** Set once the study is over: its final state, or deleted. */
  ended: StudyReply["state"] | "deleted" | null;
}

const endedStates: ReadonlySet<string> = new Set(["completed", "stopped"]);

export function createWatchModel(study: StudyReply): WatchModel {
  return {
    study,
    running: new Map(),
    finished: new Map(),
    ended: endedStates.has(study.state) ? study.state : null,
  };
}

/** Replaces the study (and notices its end). */
export function setStudy(model: WatchModel, study: StudyReply): void {
  model.study = study;
  if (endedStates.has(study.state)) model.ended = study.state;
}

/** Replaces the running trials with a fresh read, keeping the latest report of each. */
export function setRunningTrials(model: WatchModel, trials: readonly TrialReply[]): void {
  model.running = new Map(
    trials.map((trial) => {
      const last = trial.reports?.at(-1);
      return [
        trial.id,
        {
          id: trial.id,
          number: trial.number,
          step: last?.step ?? null,
          value: last?.value ?? null,
          startedAt: trial.startedAt,
        },
      ];
    }),
  );
}

export function addFinishedTrials(model: WatchModel, trials: readonly TrialReply[]): void {
  for (const trial of trials) {
    if (isFinishedTrialState(trial.state))
      model.finished.set(trial.number, { number: trial.number, state: trial.state, value: trial.value });
  }
}

/** Applies one event; returns true when the change deserves a re-read of the study (counts, best). */
export function applyStudyEvent(model: WatchModel, event: StudyEvent): boolean {
  switch (event.type) {
    case "study.created":
      return true;
    case "study.updated":
      if (event.state === "deleted") model.ended = "deleted";
      return true;
    case "trial.created":
      return true;
    case "trial.reported": {
      const running = model.running.get(event.trialId);
      model.running.set(event.trialId, {
        id: event.trialId,
        number: event.number,
        step: event.step,
        value: event.value,
        startedAt: running?.startedAt ?? null,
      });
      return false;
    }
    case "trial.updated": {
      if (event.state === "running") {
        if (!model.running.has(event.trialId)) {
          model.running.set(event.trialId, {
            id: event.trialId,
            number: event.number ?? null,
            step: null,
            value: null,
            startedAt: event.at,
          });
        }
        return true;
      }
      model.running.delete(event.trialId);
      if (isFinishedTrialState(event.state) && event.number !== undefined) {
        model.finished.set(event.number, {
          number: event.number,
          state: event.state,
          value: event.value ?? null,
        });
      }
      return true;
    }
  }
}

/** The best value after each finished trial, in trial-number order (the curve the chart draws). */
export function bestSoFar(model: WatchModel): number[] {
  const maximize = model.study.definition.objective.direction === "maximize";
  const series: number[] = [];
  let best: number | null = null;
  for (const trial of [...model.finished.values()].sort((a, b) => a.number - b.number)) {
    if (trial.state !== "complete" || trial.value === null) continue;
    if (best === null || (maximize ? trial.value > best : trial.value < best)) best = trial.value;
    series.push(best);
  }
  return series;
}

/** Seconds left at the pace so far (finished trials per second since the study was created); null before any. */
export function etaSeconds(model: WatchModel, now: number): number | null {
  const { finished, maxTrials } = model.study.progress;
  const elapsed = (now - Date.parse(model.study.createdAt)) / 1000;
  if (finished === 0 || elapsed <= 0) return null;
  return Math.max(0, ((maxTrials - finished) * elapsed) / finished);
}

/** 0 when the study completed with at least one complete trial; 8 (study failed) otherwise. */
export function watchExitCode(model: WatchModel): ExitCode {
  if (model.ended === "completed" && (model.study.counts.complete ?? 0) > 0) return exitCodes.ok;
  return exitCodes.studyFailed;
}
