import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure } from "./support/e2e-stack.js";
import { countByState, findNumberingProblems, maxConcurrentTrials } from "./support/invariants.js";
import { syntheticStudy } from "./support/study-fixtures.js";

const PARALLELISM = [1, 2, 3, 2, 1];
const SAMPLERS = ["random", "sobol", "tpe", "random", "random"];

/** `studyId#number` of every trial a scheduler logged as enqueued ("trials enqueued" lines). */
function enqueuedTrials(output: string): string[] {
  const out: string[] = [];
  for (const line of output.split("\n")) {
    if (!line.includes("trials enqueued")) continue;
    const json = line.slice(line.indexOf("{"));
    try {
      const entry = JSON.parse(json) as { studyId?: unknown; numbers?: unknown };
      if (typeof entry.studyId !== "string" || !Array.isArray(entry.numbers)) continue;
      for (const n of entry.numbers) out.push(`${entry.studyId}#${String(n)}`);
    } catch {
      // not a JSON log line
    }
  }
  return out;
}

/** Two scheduler processes at once on five studies. */
describe("e2e: two schedulers, five studies", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({
      label: "twosched",
      inProcess: true,
      schedulers: 2,
      workers: [{ concurrency: 4 }, { concurrency: 4 }],
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("never duplicates a number and never exceeds a study's parallelism", async () => {
    await stack.explain(async () => {
      const ids = await Promise.all(
        PARALLELISM.map((parallelism, index) =>
          stack.createStudy(
            syntheticStudy({
              name: `study-${index}`,
              sampler: { type: SAMPLERS[index] ?? "random" },
              maxTrials: 8,
              parallelism,
              steps: 2,
              stepDelayMs: 30,
              seed: index,
            }),
          ),
        ),
      );
      for (const id of ids) await stack.waitForStudyState(id, ["completed"], 150_000);
      for (const [index, id] of ids.entries()) {
        const trials = await stack.trials(id);
        expect(findNumberingProblems(trials), `study ${index}`).toEqual([]);
        expect(countByState(trials), `study ${index}`).toEqual({ complete: 8 });
        expect(maxConcurrentTrials(trials), `study ${index}`).toBeLessThanOrEqual(PARALLELISM[index] ?? 0);
      }
      // Both schedulers did work and neither crashed: each enqueued trials (its "trials enqueued" log
      // lines), and together they enqueued every trial exactly once.
      const schedulers = stack.services.filter((service) => service.name === "scheduler");
      expect(schedulers).toHaveLength(2);
      const enqueuedBy = schedulers.map((scheduler) => enqueuedTrials(scheduler.output()));
      for (const scheduler of schedulers) expect(scheduler.child.exitCode).toBeNull();
      expect(enqueuedBy.map((trials) => trials.length > 0)).toEqual([true, true]);
      const all = enqueuedBy.flat().sort();
      const expected = ids.flatMap((id) => Array.from({ length: 8 }, (_, n) => `${id}#${n}`)).sort();
      expect(all).toEqual(expected);
      printFigure(
        "two schedulers: trials enqueued by each",
        enqueuedBy[0]?.length ?? 0,
        `and ${enqueuedBy[1]?.length ?? 0}`,
      );
    });
  }, 200_000);
});
