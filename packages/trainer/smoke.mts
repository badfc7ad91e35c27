import {
  loadDataset,
  splitDataset,
  trainTfjsModel,
  resolveTfjsHyperparameters,
  selectTfjsBackend,
} from "@hpo/trainer";
import "../trainer/src/tfjs/register-gradients.js";
await selectTfjsBackend("wasm");
const spirals = splitDataset(await loadDataset("spirals"), { validationSplit: 0.2, seed: 20240611 });
const digits = splitDataset(await loadDataset("digits"), {
  validationSplit: 0.25,
  seed: 20240611,
  maxSamples: 1200,
});
async function go(label: string, split: typeof spirals, params: Record<string, number | string>, seed = 1) {
  const t0 = Date.now();
  const r = await trainTfjsModel({ hyperparameters: resolveTfjsHyperparameters(params), split, seed });
  console.log(
    label,
    r.status,
    r.reason ?? "",
    JSON.stringify(r.metrics),
    r.diagnostics.flags,
    Date.now() - t0,
    "ms",
  );
  return r;
}
await go("spirals", spirals, { epochs: 40, learning_rate: 0.01, hidden_units: 32 });
await go("spirals-drop", spirals, { epochs: 5, learning_rate: 0.01, hidden_units: 32, dropout: 0.2 });
await go("diverge", spirals, {
  epochs: 5,
  optimizer: "sgd",
  learning_rate: 100,
  initializer: "random",
  init_stddev: 1,
});
const z = await go("zeros", digits, {
  epochs: 3,
  initializer: "zeros",
  activation: "sigmoid",
  optimizer: "momentum",
  learning_rate: 0.1,
  hidden_units: 16,
});
console.log(
  JSON.stringify(
    z.diagnostics.snapshots.map((s) =>
      s.layers.map((l) => [
        l.deadFraction,
        l.saturatedFraction,
        l.symmetricWeights,
        l.gradientNorm.toFixed(4),
      ]),
    ),
  ),
);
console.log(
  Array.from(z.kernels[0]!.slice(200 * 16, 200 * 16 + 16))
    .map((v) => v.toExponential(3))
    .join(" "),
);
for (const [init, act] of [
  ["he", "relu"],
  ["xavier", "tanh"],
  ["xavier", "sigmoid"],
  ["he", "elu"],
]) {
  const r = await go(init + "-" + act, digits, {
    epochs: 3,
    initializer: init!,
    activation: act!,
    optimizer: "momentum",
    learning_rate: 0.1,
    hidden_units: 16,
  });
  console.log(
    JSON.stringify(
      r.diagnostics.snapshots.map((s) =>
        s.layers.map((l) => [
          l.deadFraction.toFixed(2),
          l.saturatedFraction.toFixed(2),
          l.symmetricWeights,
          l.gradientNorm.toFixed(4),
        ]),
      ),
    ),
  );
}
