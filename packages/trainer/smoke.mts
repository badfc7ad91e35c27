import { runTrainer } from "@hpo/trainer";
const ctl = new AbortController();
const t0 = Date.now();
const out = await runTrainer(
  { type: "tfjs", dataset: "digits", epochs: 8 },
  {
    trialId: "t",
    studyId: "s",
    number: 0,
    params: {
      learning_rate: 0.002,
      batch_size: 64,
      hidden_units: 128,
      layers: 2,
      initializer: "he",
      optimizer: "adam",
    },
    seed: 1,
    objectiveMetric: "val_accuracy",
    gpuIds: [],
    backend: "auto",
    signal: ctl.signal,
    report: async () => ({ prune: false, stop: false }),
    log: (t) => process.stdout.write(t),
  },
);
console.log(out.state, out.backend, out.value, Date.now() - t0, "ms");
