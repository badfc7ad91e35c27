#!/usr/bin/env node
// A training program in plain Node.js (no dependencies) that speaks the hpo command-trainer protocol:
// it reads the trial's hyperparameters from the JSON file named by HPO_PARAMS_FILE, trains a one-hidden-layer
// network on the two-moons problem with minibatch SGD, prints `HPO_REPORT {...}` after every epoch and
// `HPO_RESULT {...}` at the end. Any other output goes to the trial's log.
import { readFileSync } from "node:fs";

const params = process.env.HPO_PARAMS_FILE
  ? JSON.parse(readFileSync(process.env.HPO_PARAMS_FILE, "utf8"))
  : {};
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : (params[name] ?? fallback);
};
const learningRate = arg("learning_rate", 0.1);
const hiddenUnits = arg("hidden_units", 16);
const epochs = arg("epochs", 20);
const batchSize = arg("batch_size", 16);
const seed = Number(process.env.HPO_SEED ?? 0);

// mulberry32: a tiny seeded generator, so the same seed gives the same run.
function createRandom(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (random) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

// Two interleaving half circles (fixed data seed: every trial sees the same data).
const dataRandom = createRandom(12345);
const samples = [];
for (let i = 0; i < 600; i++) {
  const outer = i % 2 === 0;
  const t = Math.PI * dataRandom();
  const x = outer ? Math.cos(t) : 1 - Math.cos(t);
  const y = outer ? Math.sin(t) : 0.5 - Math.sin(t);
  samples.push({ x: [x + 0.15 * normal(dataRandom), y + 0.15 * normal(dataRandom)], label: outer ? 0 : 1 });
}
const train = samples.slice(0, 480);
const validation = samples.slice(480);

// He-initialized hidden layer (tanh would use xavier; relu here), sigmoid output.
const random = createRandom(seed + 1);
const w1 = Array.from({ length: hiddenUnits }, () => [0, 1].map(() => normal(random) * Math.sqrt(2 / 2)));
const b1 = new Array(hiddenUnits).fill(0);
const w2 = Array.from({ length: hiddenUnits }, () => normal(random) * Math.sqrt(2 / hiddenUnits));
let b2 = 0;

function forward(x) {
  const h = w1.map((w, j) => Math.max(0, w[0] * x[0] + w[1] * x[1] + b1[j]));
  const z = h.reduce((sum, v, j) => sum + v * w2[j], b2);
  return { h, p: 1 / (1 + Math.exp(-z)) };
}
const bce = (p, label) => -(label * Math.log(p + 1e-12) + (1 - label) * Math.log(1 - p + 1e-12));

console.log(
  `node example: ${hiddenUnits} hidden units, lr ${learningRate}, batch ${batchSize}, ${epochs} epochs`,
);
let last = {};
for (let epoch = 1; epoch <= epochs; epoch++) {
  const started = Date.now();
  const order = train.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let lossSum = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = order.slice(start, start + batchSize).map((i) => train[i]);
    const gw1 = w1.map(() => [0, 0]);
    const gb1 = new Array(hiddenUnits).fill(0);
    const gw2 = new Array(hiddenUnits).fill(0);
    let gb2 = 0;
    for (const { x, label } of batch) {
      const { h, p } = forward(x);
      lossSum += bce(p, label);
      const dz = p - label;
      gb2 += dz;
      h.forEach((v, j) => {
        gw2[j] += dz * v;
        const dh = v > 0 ? dz * w2[j] : 0;
        gb1[j] += dh;
        gw1[j][0] += dh * x[0];
        gw1[j][1] += dh * x[1];
      });
    }
    const scale = learningRate / batch.length;
    for (let j = 0; j < hiddenUnits; j++) {
      w2[j] -= scale * gw2[j];
      b1[j] -= scale * gb1[j];
      w1[j][0] -= scale * gw1[j][0];
      w1[j][1] -= scale * gw1[j][1];
    }
    b2 -= scale * gb2;
  }
  let valLoss = 0;
  let correct = 0;
  for (const { x, label } of validation) {
    const { p } = forward(x);
    valLoss += bce(p, label);
    if ((p >= 0.5 ? 1 : 0) === label) correct++;
  }
  last = {
    loss: lossSum / train.length,
    val_loss: valLoss / validation.length,
    val_accuracy: correct / validation.length,
  };
  console.log(`HPO_REPORT ${JSON.stringify({ step: epoch, ...last, duration_ms: Date.now() - started })}`);
}
console.log(`HPO_RESULT ${JSON.stringify({ ...last, device: "cpu" })}`);
