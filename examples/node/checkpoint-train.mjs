#!/usr/bin/env node
// A command trainer that survives preemption (docs/fleets.md, "Preemption and checkpoints"). Plain Node.js,
// no dependencies. Each step it:
//   1. computes the step's loss (a noisy decay shaped by the trial's learning_rate),
//   2. saves its whole state to $HPO_CHECKPOINT_DIR/state.json atomically: write a temporary file, then
//      rename it over the old one, so a kill mid-write never leaves half a checkpoint,
//   3. prints `HPO_REPORT {...}`.
// At start it loads the checkpoint when there is one and continues from the saved step. The state also
// keeps every step's metrics: a resumed run first reports them again, so the retry's curve is whole (the
// API stores a repeated step once). `run` in each report says which process start computed the step.
// Flags: --steps N (default 20), --step-ms MS (time per step, default 200).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const params = process.env.HPO_PARAMS_FILE
  ? JSON.parse(readFileSync(process.env.HPO_PARAMS_FILE, "utf8"))
  : {};
const learningRate = Number(params.learning_rate ?? 0.1);
const steps = flag("steps", 20);
const stepMs = flag("step-ms", 200);
const dir = process.env.HPO_CHECKPOINT_DIR;
const file = dir ? join(dir, "state.json") : undefined;

/** The saved state, or a fresh one. */
function load() {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  return { step: 0, runs: 0, loss: 1, history: [] };
}

function save(state) {
  if (!file) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}

const state = load();
state.runs += 1;
if (state.step > 0) {
  console.log(`checkpoint: resumed from step ${state.step} (run ${state.runs})`);
  for (const entry of state.history) console.log(`HPO_REPORT ${JSON.stringify(entry)}`);
} else {
  console.log(`checkpoint: starting at step 0${file ? "" : " (no HPO_CHECKPOINT_DIR: nothing is saved)"}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
while (state.step < steps) {
  await sleep(stepMs);
  const step = state.step + 1;
  // Deterministic in (learning rate, step): the same step gives the same loss on any run.
  const loss = state.loss * (1 - Math.min(0.5, learningRate)) + 0.01 * Math.sin(step);
  const entry = { step, loss, run: state.runs };
  state.step = step;
  state.loss = loss;
  state.history.push(entry);
  save(state);
  console.log(`HPO_REPORT ${JSON.stringify(entry)}`);
}
console.log(`HPO_RESULT ${JSON.stringify({ loss: state.loss, steps: state.step, runs: state.runs })}`);
