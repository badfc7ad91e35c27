import { describe, expect, it } from "vitest";
import type { DefinitionIssue } from "./definition-issues.js";
import { tfjsHyperparameterNames } from "./tfjs-hyperparameters.js";
import { validateStudyDefinition } from "./validate-study-definition.js";

type Json = Record<string, unknown>;

/** A full example definition (a tfjs MLP study), as a fresh mutable object. */
function issue2Example(): Json {
  return {
    name: "mlp-digits",
    objective: { metric: "val_loss", direction: "minimize" },
    space: [
      { name: "learning_rate", type: "float", low: 1e-5, high: 1, log: true },
      { name: "batch_size", type: "categorical", choices: [32, 64, 128, 256] },
      { name: "optimizer", type: "categorical", choices: ["sgd", "momentum", "adam"] },
      { name: "momentum", type: "float", low: 0, high: 0.99, when: { optimizer: "momentum" } },
      { name: "layers", type: "int", low: 1, high: 5 },
      { name: "hidden_units", type: "int", low: 16, high: 512, log: true },
      { name: "dropout", type: "float", low: 0, high: 0.5, step: 0.05 },
      { name: "initializer", type: "categorical", choices: ["zeros", "random", "xavier", "he"] },
    ],
    sampler: { type: "auto" },
    pruner: { type: "median", warmupSteps: 2 },
    budget: { maxTrials: 60, parallelism: 4 },
    trainer: { type: "tfjs", dataset: "digits", epochs: 10, fixed: { activation: "relu" } },
    seed: 42,
  };
}

/** A minimal external-trainer definition (no tfjs name rules). */
function minimal(): Json {
  return {
    name: "quad",
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: -1, high: 1 }],
    budget: { maxTrials: 10 },
  };
}

function braninSpace(): Json[] {
  return [
    { name: "x1", type: "float", low: -5, high: 10 },
    { name: "x2", type: "float", low: 0, high: 15 },
  ];
}

function at(input: unknown, path: (string | number)[]): Json {
  let current = input as Json;
  for (const key of path) current = (current as Record<string | number, Json>)[key] as Json;
  return current;
}

function issuesOf(input: unknown): DefinitionIssue[] {
  const result = validateStudyDefinition(input);
  if (result.ok) throw new Error("expected the definition to be rejected");
  return result.issues;
}

/** Asserts the definition is rejected with an issue at exactly `path` whose message matches. */
function expectIssue(input: unknown, path: (string | number)[], message: RegExp | string): void {
  const issues = issuesOf(input);
  const match = issues.find((i) => JSON.stringify(i.path) === JSON.stringify(path));
  expect(match, `no issue at ${JSON.stringify(path)} in ${JSON.stringify(issues)}`).toBeDefined();
  expect(match?.message).toMatch(message);
}

describe("validateStudyDefinition: accepts and fills defaults", () => {
  it("accepts issue 2's example and applies the defaults it omits", () => {
    const result = validateStudyDefinition(issue2Example());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.pruner).toEqual({ type: "median", warmupSteps: 2, minTrials: 5, intervalSteps: 1 });
    expect(result.value.budget).toEqual({ maxTrials: 60, parallelism: 4, maxRetries: 2 });
    expect(result.value.trainer).toEqual({
      type: "tfjs",
      dataset: "digits",
      epochs: 10,
      fixed: { activation: "relu" },
    });
    expect(result.value.seed).toBe(42);
  });

  it("defaults sampler auto, pruner none, trainer external, parallelism 1, maxRetries 2, seed 0", () => {
    const result = validateStudyDefinition(minimal());
    expect(result).toEqual({
      ok: true,
      value: {
        ...minimal(),
        objectives: [minimal().objective],
        constraints: [],
        sampler: { type: "auto" },
        pruner: { type: "none" },
        budget: { maxTrials: 10, parallelism: 1, maxRetries: 2 },
        trainer: { type: "external" },
        seed: 0,
      },
    });
  });

  it("fills the defaults of each trainer kind", () => {
    const synthetic = {
      ...minimal(),
      space: braninSpace(),
      trainer: { type: "synthetic", problem: "branin" },
    };
    const command = { ...minimal(), trainer: { type: "command", command: ["python3", "train.py"] } };
    const s = validateStudyDefinition(synthetic);
    const c = validateStudyDefinition(command);
    expect(s.ok && s.value.trainer).toEqual({
      type: "synthetic",
      problem: "branin",
      steps: 5,
      stepDelayMs: 0,
    });
    expect(c.ok && c.value.trainer).toEqual({
      type: "command",
      command: ["python3", "train.py"],
      timeoutSeconds: 3600,
      gpusPerTrial: 0,
    });
  });

  it("accepts a CSV dataset and every optional field", () => {
    const definition = {
      ...minimal(),
      description: "full",
      budget: { maxTrials: 5, parallelism: 2, maxDurationSeconds: 60, targetValue: 0.1, maxRetries: 0 },
      space: [{ name: "learning_rate", type: "float", low: 0.001, high: 0.1, log: true }],
      trainer: {
        type: "tfjs",
        dataset: { csv: "data/wine.csv", labelColumn: "quality" },
        epochs: 3,
        validationSplit: 0.2,
        maxSamples: 500,
      },
    };
    expect(validateStudyDefinition(definition).ok).toBe(true);
  });

  it("never throws, whatever it is given", () => {
    for (const input of [undefined, null, 42, "x", [], [1], { space: null }, { budget: [] }]) {
      const result = validateStudyDefinition(input);
      expect(result.ok).toBe(false);
    }
    expectIssue("hello", [], "must be an object, got a string");
  });
});

describe("validateStudyDefinition: one rule each, with its JSON path", () => {
  it("duplicate param names", () => {
    const d = issue2Example();
    at(d, ["space", 5]).name = "layers";
    expectIssue(d, ["space", 5, "name"], 'duplicate param name "layers"');
  });

  it("low >= high", () => {
    const d = issue2Example();
    at(d, ["space", 4]).low = 5;
    expectIssue(d, ["space", 4, "high"], "high must be greater than low");
  });

  it("log with low <= 0", () => {
    const d = issue2Example();
    at(d, ["space", 0]).low = 0;
    expectIssue(d, ["space", 0, "low"], "log scale needs low > 0");
  });

  it("a step that does not divide the range", () => {
    const d = issue2Example();
    at(d, ["space", 6]).step = 0.07;
    expectIssue(d, ["space", 6, "step"], "does not divide");
  });

  it("empty choices", () => {
    const d = issue2Example();
    at(d, ["space", 7]).choices = [];
    expectIssue(d, ["space", 7, "choices"], "must not be empty");
  });

  it("duplicate choices", () => {
    const d = issue2Example();
    at(d, ["space", 1]).choices = [32, 64, 32];
    expectIssue(d, ["space", 1, "choices", 2], "duplicate choice");
  });

  it("a when naming an unknown param", () => {
    const d = issue2Example();
    at(d, ["space", 3]).when = { opt: "momentum" };
    expectIssue(d, ["space", 3, "when", "opt"], 'unknown param "opt"');
  });

  it("a when naming a later param", () => {
    const d = issue2Example();
    at(d, ["space", 3]).when = { initializer: "he" };
    expectIssue(d, ["space", 3, "when", "initializer"], "must be defined before");
  });

  it("a sampler that cannot handle the space: grid over floats without a resolution", () => {
    const d = issue2Example();
    d.sampler = { type: "grid" };
    expectIssue(d, ["sampler", "resolution"], 'float param "learning_rate"');
    // Enumerating hidden_units' 497 integers would make a grid of millions of points: too large.
    const tooLarge = { ...issue2Example(), sampler: { type: "grid", resolution: 5 } };
    expectIssue(tooLarge, ["sampler"], "exceeds");
    const withResolution = {
      ...issue2Example(),
      sampler: { type: "grid", resolution: 5, values: { hidden_units: [32, 128, 512] } },
    };
    expect(validateStudyDefinition(withResolution).ok).toBe(true);
  });

  it("NaN anywhere", () => {
    const d = issue2Example();
    at(d, ["space", 6]).high = Number.NaN;
    expectIssue(d, ["space", 6, "high"], "must be a finite number, got NaN");
  });

  it("Infinity anywhere, including inside trainer.fixed", () => {
    const d = issue2Example();
    at(d, ["budget"]).targetValue = Number.NEGATIVE_INFINITY;
    at(d, ["trainer", "fixed"]).weight_decay = Number.POSITIVE_INFINITY;
    expectIssue(d, ["budget", "targetValue"], "must be a finite number, got -Infinity");
    expectIssue(d, ["trainer", "fixed", "weight_decay"], "must be a finite number, got Infinity");
  });

  it("unknown fields, at every level, each at its own path", () => {
    const d = issue2Example();
    d.colour = "blue";
    at(d, ["budget"]).maxTrial = 3;
    at(d, ["space", 1]).lo = 2;
    at(d, ["pruner"]).warmup = 1;
    at(d, ["trainer"]).gpu = true;
    at(d, ["objective"]).goal = "min";
    const paths = issuesOf(d).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        ["colour"],
        ["budget", "maxTrial"],
        ["space", 1, "lo"],
        ["pruner", "warmup"],
        ["trainer", "gpu"],
        ["objective", "goal"],
      ]),
    );
    expectIssue(d, ["colour"], 'unknown field "colour"');
  });

  it("unknown sampler options are rejected too", () => {
    const d = { ...minimal(), sampler: { type: "tpe", nStartup: 5 } };
    expectIssue(d, ["sampler", "nStartup"], 'unknown field "nStartup"');
  });

  it("a tfjs space param the trainer does not know, naming the known list", () => {
    const d = issue2Example();
    at(d, ["space", 0]).name = "lr";
    expectIssue(
      d,
      ["space", 0, "name"],
      `unknown tfjs hyperparameter "lr"; known: ${tfjsHyperparameterNames.join(", ")}`,
    );
  });

  it("a tfjs fixed key the trainer does not know", () => {
    const d = issue2Example();
    at(d, ["trainer", "fixed"]).colour = "red";
    expectIssue(
      d,
      ["trainer", "fixed", "colour"],
      /unknown tfjs hyperparameter "colour"; known: layers, hidden_units/,
    );
  });

  it("tfjs names are free for other trainers", () => {
    const d = { ...issue2Example(), trainer: { type: "external" } };
    at(d, ["space", 0]).name = "lr";
    expect(validateStudyDefinition(d).ok).toBe(true);
  });
});

describe("validateStudyDefinition: field-level problems read as plain sentences", () => {
  it("missing required fields", () => {
    const d = issue2Example();
    delete d.objective;
    delete at(d, ["budget"]).maxTrials;
    expectIssue(d, ["objective"], "is required");
    expectIssue(d, ["budget", "maxTrials"], "is required");
  });

  it("an unknown trainer, sampler or pruner type lists the known ones", () => {
    expectIssue(
      { ...minimal(), trainer: { type: "pytorch" } },
      ["trainer", "type"],
      /unknown type "pytorch"; expected one of "external", "synthetic", "tfjs", "command"/,
    );
    expectIssue({ ...minimal(), sampler: { type: "cmaes" } }, ["sampler", "type"], /expected one of "auto"/);
    expectIssue(
      { ...minimal(), pruner: { type: "wilcoxon" } },
      ["pruner", "type"],
      /expected one of "none", "median"/,
    );
    expectIssue({ ...minimal(), trainer: {} }, ["trainer", "type"], /is required: one of/);
  });

  it("an unknown dataset names the built-in ones", () => {
    const d = issue2Example();
    at(d, ["trainer"]).dataset = "cifar";
    expectIssue(
      d,
      ["trainer", "dataset"],
      /must be one of "digits", "iris", "spirals", "moons" or an object, got "cifar"/,
    );
  });

  it("a CSV dataset with a wrong field type points inside the object", () => {
    const d = issue2Example();
    at(d, ["trainer"]).dataset = { csv: 3 };
    expectIssue(d, ["trainer", "dataset", "csv"], "must be a string, got a number");
  });

  it("wrong types and ranges", () => {
    const d = issue2Example();
    at(d, ["budget"]).parallelism = 0;
    at(d, ["budget"]).maxTrials = 2.5;
    d.seed = -1;
    d.name = "   ";
    at(d, ["objective"]).direction = "down";
    at(d, ["pruner"]).warmupSteps = -2;
    expectIssue(d, ["budget", "parallelism"], "must be >= 1");
    expectIssue(d, ["budget", "maxTrials"], "must be an integer, got a number");
    expectIssue(d, ["seed"], "must be >= 0");
    expectIssue(d, ["name"], "must not be empty");
    expectIssue(d, ["objective", "direction"], 'must be one of "minimize", "maximize", got "down"');
    expectIssue(d, ["pruner", "warmupSteps"], "must be >= 0");
  });

  it("a fixed value of the wrong type lists the accepted types", () => {
    const d = issue2Example();
    at(d, ["trainer", "fixed"]).activation = null;
    expectIssue(d, ["trainer", "fixed", "activation"], "must be a number or a string or a boolean, got null");
  });

  it("a command trainer needs a non-empty command", () => {
    expectIssue(
      { ...minimal(), trainer: { type: "command", command: [] } },
      ["trainer", "command"],
      "must not be empty",
    );
    expectIssue(
      { ...minimal(), trainer: { type: "command", command: [""] } },
      ["trainer", "command", 0],
      "must not be empty",
    );
  });

  it("reports every problem at once, cross-field ones included, not only the first", () => {
    const d = issue2Example();
    at(d, ["budget"]).parallelism = 0; // unrelated field error
    at(d, ["space", 0]).name = "lr"; // tfjs name, checked although the budget is invalid
    const paths = issuesOf(d).map((i) => i.path);
    expect(paths).toContainEqual(["budget", "parallelism"]);
    expect(paths).toContainEqual(["space", 0, "name"]);
  });
});

describe("validateStudyDefinition: synthetic trainer", () => {
  const synthetic = (space: Json[], problem = "branin"): Json => ({
    ...minimal(),
    space,
    trainer: { type: "synthetic", problem, steps: 5 },
  });

  it("accepts the problem's own space, a narrower range and extra params", () => {
    expect(validateStudyDefinition(synthetic(braninSpace())).ok).toBe(true);
    const narrower = [
      { name: "x1", type: "float", low: 0, high: 5 },
      { name: "x2", type: "float", low: 0, high: 15, step: 0.5 },
      { name: "unused", type: "categorical", choices: ["a", "b"] },
    ];
    expect(validateStudyDefinition(synthetic(narrower)).ok).toBe(true);
  });

  it("needs every param the benchmark function reads", () => {
    const onlyX1 = braninSpace().slice(0, 1);
    expectIssue(
      synthetic(onlyX1),
      ["space"],
      'synthetic problem "branin" needs a param "x2" (float in [0, 15])',
    );
  });

  it("rejects a range outside the function's domain at low / high", () => {
    const space = braninSpace();
    (space[0] as Json).low = -10;
    (space[1] as Json).high = 20;
    expectIssue(synthetic(space), ["space", 0, "low"], 'defines "x1" only from -5');
    expectIssue(synthetic(space), ["space", 1, "high"], 'defines "x2" only up to 15');
  });

  it("rejects a conditional or wrongly typed param the function needs", () => {
    const space: Json[] = [
      { name: "x1", type: "categorical", choices: [1, 2] },
      { name: "x2", type: "float", low: 0, high: 15, when: { x1: 1 } },
    ];
    expectIssue(synthetic(space), ["space", 0, "type"], 'needs "x1" as float in [-5, 10]');
    expectIssue(synthetic(space), ["space", 1, "when"], "cannot be conditional");
  });

  it("checks categorical choices of mlp-surrogate-a against the values it defines", () => {
    const space: Json[] = [
      { name: "learning_rate", type: "float", low: 1e-4, high: 0.1, log: true },
      { name: "batch_size", type: "categorical", choices: [32, 48] },
      { name: "momentum", type: "float", low: 0, high: 0.9 },
      { name: "hidden_units", type: "int", low: 16, high: 256, log: true },
      { name: "layers", type: "int", low: 1, high: 3 },
      { name: "initializer", type: "categorical", choices: ["he", "xavier"] },
      { name: "lr_decay", type: "float", low: 0.9, high: 1 },
    ];
    expectIssue(synthetic(space, "mlp-surrogate-a"), ["space", 1, "choices", 1], "48 is not a value");
    expect(issuesOf(synthetic(space, "mlp-surrogate-a"))).toHaveLength(1);
  });
});

describe("validateStudyDefinition: derived defaults", () => {
  const hyperband = { type: "hyperband" };

  it("sets Hyperband's maxResource to the synthetic trainer's steps", () => {
    const d = {
      ...minimal(),
      space: braninSpace(),
      pruner: hyperband,
      trainer: { type: "synthetic", problem: "branin", steps: 9 },
    };
    const result = validateStudyDefinition(d);
    expect(result.ok && result.value.pruner).toEqual({
      type: "hyperband",
      minResource: 1,
      reductionFactor: 3,
      maxResource: 9,
    });
  });

  it("sets it to the tfjs epochs, or the fixed epochs, but not when epochs are tuned", () => {
    const tfjs = (extra: Json): Json => ({ ...issue2Example(), pruner: hyperband, ...extra });
    const epochs = (d: Json) => {
      const result = validateStudyDefinition(d);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.value.pruner.type === "hyperband" ? result.value.pruner.maxResource : "other";
    };
    expect(epochs(tfjs({}))).toBe(10);
    expect(epochs(tfjs({ trainer: { type: "tfjs", dataset: "digits", fixed: { epochs: 27 } } }))).toBe(27);
    const tuned = tfjs({});
    (tuned.space as Json[]).push({ name: "epochs", type: "int", low: 3, high: 30 });
    expect(epochs(tuned)).toBeUndefined();
  });

  it("keeps an explicit maxResource, and leaves it unset for external trainers or too short runs", () => {
    const explicit = {
      ...minimal(),
      space: braninSpace(),
      pruner: { type: "hyperband", maxResource: 4 },
      trainer: { type: "synthetic", problem: "branin" },
    };
    const r1 = validateStudyDefinition(explicit);
    expect(r1.ok && r1.value.pruner).toMatchObject({ maxResource: 4 });
    const external = validateStudyDefinition({ ...minimal(), pruner: hyperband });
    expect(external.ok && external.value.pruner).toEqual({
      type: "hyperband",
      minResource: 1,
      reductionFactor: 3,
    });
    const short = {
      ...minimal(),
      space: braninSpace(),
      pruner: hyperband,
      trainer: { type: "synthetic", problem: "branin", steps: 1 },
    };
    const r3 = validateStudyDefinition(short);
    expect(r3.ok && r3.value.pruner).toEqual({ type: "hyperband", minResource: 1, reductionFactor: 3 });
  });
});
