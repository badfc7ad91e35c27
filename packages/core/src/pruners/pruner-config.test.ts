import { prunerConfigSchema } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { HpoError } from "../errors/hpo-error.js";
import { createPruner } from "./create-pruner.js";

describe("prunerConfigSchema", () => {
  it("applies the defaults so a stored config shows the values in force", () => {
    expect(prunerConfigSchema.parse({ type: "median" })).toEqual({
      type: "median",
      warmupSteps: 0,
      minTrials: 5,
      intervalSteps: 1,
    });
    expect(prunerConfigSchema.parse({ type: "successive-halving" })).toEqual({
      type: "successive-halving",
      minResource: 1,
      reductionFactor: 4,
      minEarlyStoppingRate: 0,
    });
    expect(prunerConfigSchema.parse({ type: "hyperband", maxResource: 27 })).toEqual({
      type: "hyperband",
      minResource: 1,
      maxResource: 27,
      reductionFactor: 3,
    });
    expect(prunerConfigSchema.parse({ type: "percentile", percentile: 25 })).toMatchObject({
      percentile: 25,
    });
  });

  it("rejects unknown fields with their path", () => {
    const result = prunerConfigSchema.safeParse({ type: "median", warmup: 2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });

  it.each([
    [{ type: "median", warmupSteps: -1 }, ["warmupSteps"]],
    [{ type: "median", intervalSteps: 0 }, ["intervalSteps"]],
    [{ type: "median", minTrials: 1.5 }, ["minTrials"]],
    [{ type: "percentile" }, ["percentile"]],
    [{ type: "percentile", percentile: 101 }, ["percentile"]],
    [{ type: "successive-halving", reductionFactor: 1 }, ["reductionFactor"]],
    [{ type: "successive-halving", minResource: 0 }, ["minResource"]],
    [{ type: "hyperband", minResource: 4, maxResource: 4 }, ["maxResource"]],
    [{ type: "hyperband", maxResource: Number.POSITIVE_INFINITY }, ["maxResource"]],
    [{ type: "median", warmupSteps: Number.NaN }, ["warmupSteps"]],
  ])("rejects %j at %j", (config, path) => {
    const result = prunerConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });

  it("rejects an unknown pruner type", () => {
    expect(prunerConfigSchema.safeParse({ type: "wilcoxon" }).success).toBe(false);
  });
});

describe("createPruner", () => {
  it("builds each pruner kind from a config with defaults omitted", () => {
    expect(createPruner({ type: "none" }).type).toBe("none");
    expect(createPruner({ type: "median" }).type).toBe("median");
    expect(createPruner({ type: "percentile", percentile: 10 }).type).toBe("percentile");
    expect(createPruner({ type: "successive-halving" }).type).toBe("successive-halving");
    expect(createPruner({ type: "hyperband" }).type).toBe("hyperband");
  });

  it("throws HpoError invalid_pruner (400, not retryable) with the path of each problem", () => {
    let error: unknown;
    try {
      createPruner({ type: "median", warmupSteps: -3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HpoError);
    const hpoError = error as HpoError;
    expect(hpoError.code).toBe("invalid_pruner");
    expect(hpoError.status).toBe(400);
    expect(hpoError.retryable).toBe(false);
    const details = hpoError.details as { issues: { path: unknown[]; message: string }[] };
    expect(details.issues.map((i) => i.path)).toEqual([["warmupSteps"]]);
    expect(details.issues[0]?.message.length).toBeGreaterThan(0);
  });

  it("the none pruner never prunes, even NaN", () => {
    const decision = createPruner({ type: "none" }).decide({
      direction: "minimize",
      trial: { number: 0, reports: [{ step: 1, value: Number.NaN }] },
      trials: [],
      state: null,
    });
    expect(decision).toEqual({ prune: false, state: null });
  });
});
