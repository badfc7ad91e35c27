import { describe, expect, it } from "vitest";
import { cacheTtlMs, collectProductionPackages, lookUpDeprecations } from "../../scripts/deprecated-deps.js";

const tree = {
  name: "hpo",
  dependencies: {
    "@hpo/cli": {
      version: "0.1.0",
      resolved: "file:../packages/cli",
      dependencies: {
        fastify: { version: "5.1.0", dependencies: { "old-lib": { version: "1.0.0" } } },
        "local-thing": { version: "1.0.0", resolved: "file:../x" },
      },
    },
    "old-lib": { version: "1.0.0" },
  },
};

describe("deprecated production dependencies (.ci/run)", () => {
  it("lists registry packages once, without the workspace's own", () => {
    expect(collectProductionPackages(tree)).toEqual(["fastify@5.1.0", "old-lib@1.0.0"]);
  });

  it("reports a deprecated version, answers fresh entries from the cache and stops at the deadline", async () => {
    const now = 1_000_000_000_000;
    const viewed: string[] = [];
    const result = await lookUpDeprecations(["a@1", "b@1", "c@1"], {
      cache: {
        "a@1": { message: "", checkedAt: now - 1000 },
        "b@1": { message: "", checkedAt: now - cacheTtlMs - 1 },
      },
      view: (spec) => {
        viewed.push(spec);
        return Promise.resolve(spec === "c@1" ? "use d instead" : "");
      },
      now,
      deadline: now + 10_000,
      concurrency: 2,
      clock: () => now,
    });
    expect(viewed.sort()).toEqual(["b@1", "c@1"]);
    expect(result.deprecated).toEqual([{ spec: "c@1", message: "use d instead" }]);
    expect(result).toMatchObject({ cached: 1, looked: 2, unknown: [] });

    const late = await lookUpDeprecations(["x@1"], {
      cache: {},
      view: () => Promise.reject(new Error("should not be called")),
      now,
      deadline: now - 1,
      concurrency: 1,
      clock: () => now,
    });
    expect(late).toMatchObject({ unknown: ["x@1"], deprecated: [], looked: 0 });
  });
});
