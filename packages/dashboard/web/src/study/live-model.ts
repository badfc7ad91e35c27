import type { StudySummaryReply, TrialReply } from "@hpo/contracts";

type Summary = StudySummaryReply;
const finishedStates = new Set(["complete", "pruned", "failed"]);
/** Curves drawn at most on the intermediate-values chart (running trials join until then). */
export const maxLiveCurves = 160;

function isBetter(direction: Summary["objective"]["direction"], value: number, than: number): boolean {
  return direction === "minimize" ? value < than : value > than;
}

/**
 * A new intermediate value from the event stream: extends the trial's curve, or starts one for a trial that
 * is not drawn yet (a running trial), so curves grow live without a request.
 */
export function applyReport(
  summary: Summary,
  report: { number: number; step: number; value: number },
): Summary {
  const curves = summary.intermediate.curves;
  const index = curves.findIndex((curve) => curve.number === report.number);
  const current = curves[index];
  let next;
  if (current) {
    if (current.steps.includes(report.step)) return summary;
    const updated = {
      ...current,
      steps: [...current.steps, report.step],
      values: [...current.values, report.value],
    };
    next = curves.map((curve, i) => (i === index ? updated : curve));
  } else {
    if (curves.length >= maxLiveCurves) return summary;
    next = [
      ...curves,
      { number: report.number, state: "running" as const, steps: [report.step], values: [report.value] },
    ];
  }
  return { ...summary, intermediate: { curves: next } };
}

/**
 * Finished trials fetched after their events: each joins the history, the best-so-far line, the plot
 * sample and the curves once, whatever the order events arrive in.
 */
export function applyFinishedTrials(summary: Summary, trials: readonly TrialReply[]): Summary {
  const direction = summary.objective.direction;
  const history = summary.history.points;
  const known = new Set(history.number);
  const points = history.number.map((number, i) => ({
    number,
    state: history.state[i] ?? "complete",
    value: history.value[i] ?? null,
  }));
  const sample = summary.sample.trials;
  const names = Object.keys(sample.params);
  const sampled = sample.number.map((number, i) => ({
    number,
    value: sample.value[i] ?? Number.NaN,
    params: Object.fromEntries(names.map((name) => [name, sample.params[name]?.[i] ?? null])),
  }));
  let bestSoFar = summary.bestSoFar;
  let best = summary.best;
  let finished = summary.history.finished;
  let curves = summary.intermediate.curves;
  let maxNumber = summary.maxNumber;
  for (const trial of [...trials].sort((a, b) => a.number - b.number)) {
    maxNumber = Math.max(maxNumber ?? trial.number, trial.number);
    if (trial.reports && trial.reports.length > 0) {
      const steps = trial.reports.map((report) => report.step);
      const values = trial.reports.map((report) => report.value);
      const curve = { number: trial.number, state: trial.state, steps, values };
      const index = curves.findIndex((candidate) => candidate.number === trial.number);
      if (index >= 0) curves = curves.map((candidate, i) => (i === index ? curve : candidate));
      else if (curves.length < maxLiveCurves) curves = [...curves, curve];
    }
    if (!finishedStates.has(trial.state) || known.has(trial.number)) continue;
    known.add(trial.number);
    finished += 1;
    points.push({ number: trial.number, state: trial.state, value: trial.value });
    if (trial.state !== "complete" || trial.value === null) continue;
    const value = trial.value;
    sampled.push({
      number: trial.number,
      value,
      params: Object.fromEntries(names.map((name) => [name, trial.params[name] ?? null])),
    });
    // A trial that finishes late extends the line only if it beats the best so far at its own number.
    const bestBefore = [...bestSoFar].reverse().find((step) => step.number < trial.number);
    if (!bestBefore || isBetter(direction, value, bestBefore.value)) {
      bestSoFar = [
        ...bestSoFar.filter((step) => step.number < trial.number || isBetter(direction, step.value, value)),
        { number: trial.number, value },
      ].sort((a, b) => a.number - b.number);
    }
    if (!best || isBetter(direction, value, best.value))
      best = { number: trial.number, value, params: trial.params };
  }
  points.sort((a, b) => a.number - b.number);
  sampled.sort((a, b) => a.number - b.number);
  return {
    ...summary,
    best,
    maxNumber,
    history: {
      ...summary.history,
      points: {
        number: points.map((point) => point.number),
        state: points.map((point) => point.state),
        value: points.map((point) => point.value),
      },
      finished,
    },
    bestSoFar,
    sample: {
      ...summary.sample,
      trials: {
        number: sampled.map((row) => row.number),
        value: sampled.map((row) => row.value),
        params: Object.fromEntries(
          names.map((name) => [name, sampled.map((row) => row.params[name] ?? null)]),
        ),
      },
    },
    intermediate: { curves },
  };
}
