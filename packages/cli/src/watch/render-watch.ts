import asciichart from "asciichart";
import cliProgress from "cli-progress";
import type { Colors } from "../output/output.js";
import { formatParams, formatValue } from "../output/format.js";
import { bestSoFar, etaSeconds, type WatchModel } from "./watch-model.js";

const barSize = 30;
const barOptions: cliProgress.Options = {
  format: "{bar} {value}/{total} trials  {percentage}%  ETA {eta_formatted}",
  barsize: barSize,
  barCompleteString: "█".repeat(barSize + 1),
  barIncompleteString: "░".repeat(barSize + 1),
  barGlue: "",
  autopaddingChar: " ",
  align: "left",
};

/** The progress line (cli-progress's formatter): bar, finished/maxTrials, percentage, ETA. */
export function progressLine(model: WatchModel, now: number): string {
  const { finished, maxTrials } = model.study.progress;
  const eta = etaSeconds(model, now);
  const line = cliProgress.Format.Formatter(
    barOptions,
    {
      progress: Math.min(1, maxTrials > 0 ? finished / maxTrials : 0),
      eta: eta ?? 0,
      startTime: Date.parse(model.study.createdAt),
      stopTime: null,
      value: finished,
      total: maxTrials,
      maxWidth: 200,
    },
    {},
  );
  return eta === null || model.ended !== null
    ? line.replace(/ETA .*$/, model.ended === null ? "ETA -" : "").trimEnd()
    : line;
}

/** The best-so-far curve as a small terminal chart (asciichart), squeezed to the terminal's width. */
export function bestChart(model: WatchModel, columns: number): string | null {
  const series = bestSoFar(model);
  if (series.length < 2) return null;
  const width = Math.max(10, columns - 14);
  const step = Math.max(1, Math.ceil(series.length / width));
  const points = series.filter((_, index) => index % step === 0 || index === series.length - 1);
  return asciichart.plot(points, { height: 6, format: (value: number) => formatValue(value).padStart(9) });
}

function header(model: WatchModel, colors: Colors): string {
  const { study } = model;
  const { objective, sampler } = study.definition;
  const state = model.ended ?? study.state;
  const shade = state === "completed" ? colors.green : state === "running" ? colors.cyan : colors.yellow;
  return `${colors.bold(study.name)} ${colors.dim(study.id)}  ${shade(state)}${study.stateReason ? ` (${study.stateReason})` : ""}  ${objective.direction} ${objective.metric} · ${sampler.type}`;
}

function bestLine(model: WatchModel, colors: Colors): string {
  const best = model.study.best;
  if (!best) return `best: ${colors.dim("none yet")}`;
  return `best: ${colors.bold(formatValue(best.value))} (trial #${best.number})  ${formatParams(best.params)}`;
}

function countsLine(model: WatchModel): string {
  const counts = model.study.counts;
  return (["complete", "pruned", "failed", "running", "queued", "waiting"] as const)
    .filter((state) => (counts[state] ?? 0) > 0)
    .map((state) => `${state} ${counts[state] ?? 0}`)
    .join(" · ");
}

function stepsOf(model: WatchModel): number | null {
  const trainer = model.study.definition.trainer;
  if (trainer.type === "synthetic") return trainer.steps;
  if (trainer.type === "tfjs") return trainer.epochs;
  return null;
}

/** The whole live view, redrawn in place on a terminal. */
export function renderWatchFrame(model: WatchModel, now: number, colors: Colors, columns: number): string {
  const lines = [header(model, colors), progressLine(model, now), countsLine(model), bestLine(model, colors)];
  // A trial just claimed is known by id only until the next read gives its number.
  const running = [...model.running.values()]
    .filter((trial) => trial.number !== null)
    .sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  if (running.length > 0) {
    const steps = stepsOf(model);
    lines.push(colors.bold(`running (${running.length})`));
    for (const trial of running.slice(0, 8)) {
      const step =
        trial.step === null ? "starting" : `step ${trial.step}${steps === null ? "" : `/${steps}`}`;
      const value =
        trial.value === null
          ? ""
          : `  ${model.study.definition.objective.metric} ${formatValue(trial.value)}`;
      lines.push(`  #${trial.number ?? "?"}  ${step}${value}`);
    }
    if (running.length > 8) lines.push(colors.dim(`  … and ${running.length - 8} more`));
  }
  const chart = bestChart(model, columns);
  if (chart) lines.push(colors.bold("best so far"), chart);
  return lines.join("\n");
}

/** The closing lines, also what a non-terminal run prints at the end. */
export function renderWatchSummary(model: WatchModel, colors: Colors): string {
  const state = model.ended ?? model.study.state;
  const reason = model.study.stateReason ? ` (${model.study.stateReason})` : "";
  return [
    `study ${model.study.name} ${state}${reason}: ${model.study.progress.finished}/${model.study.progress.maxTrials} trials; ${countsLine(model)}`,
    bestLine(model, colors),
  ].join("\n");
}
