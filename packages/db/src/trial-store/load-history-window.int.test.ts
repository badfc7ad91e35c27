import { tpeHistoryWindow, validateStudyDefinition } from "@hpo/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { loadHistoryWindow } from "./load-history.js";
import { proposeTrials } from "./propose-trials.js";

let db: TestDatabase;
let studyId = "";
const seeded = 3_000;

beforeAll(async () => {
  db = await createTestDatabase("history_window");
  const project = await db.prisma.project.create({ data: { name: "window" } });
  const checked = validateStudyDefinition({
    name: "long-tpe",
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: 0, high: 1 }],
    sampler: { type: "tpe" },
    budget: { maxTrials: 100_000, parallelism: 4 },
    trainer: { type: "external" },
    seed: 1,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  studyId = (
    await db.prisma.study.create({
      data: { projectId: project.id, name: "long-tpe", definition: checked.value },
    })
  ).id;
  // Values fall with the number except the oldest 100, which are the best (value -n): the best trials are
  // old, so the window must fetch them beside the recent ones. Every 10th trial was pruned after a report.
  await db.prisma.$executeRaw`
    INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "value", "origin", "updatedAt")
    SELECT gen_random_uuid(), ${studyId}::uuid, n,
           (CASE WHEN n % 10 = 5 THEN 'pruned' ELSE 'complete' END)::"TrialState",
           jsonb_build_object('x', n / ${seeded}::float8),
           CASE WHEN n < 100 THEN -n ELSE ${seeded} - n END, 'seeded', now()
    FROM generate_series(0, ${seeded - 1}) AS n`;
  await db.prisma.$executeRaw`
    INSERT INTO "TrialReport" ("trialId", "step", "value")
    SELECT t."id", 1, t."value" FROM "Trial" t WHERE t."studyId" = ${studyId}::uuid`;
  await db.prisma.trial.updateMany({ where: { studyId, number: 7 }, data: { state: "running" } });
}, 60_000);
afterAll(async () => {
  await db.dispose();
});

describe("loadHistoryWindow (what TPE reads of a long history)", () => {
  it("reads the recent trials, the best complete ones and every pending one, in number order", async () => {
    const window = await loadHistoryWindow(db.prisma, studyId, "minimize", tpeHistoryWindow);
    const numbers = window.map((trial) => trial.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    // The pending trial 7 (constant liar) and the 25 best complete (numbers 99 down to 74, skipping pruned ones).
    expect(numbers).toContain(7);
    const best = window.filter((trial) => trial.number < 100 && trial.state === "complete");
    expect(best).toHaveLength(tpeHistoryWindow.best);
    expect(Math.min(...best.map((trial) => trial.number))).toBeGreaterThan(60);
    // The newest trials.
    expect(numbers.filter((number) => number >= seeded - tpeHistoryWindow.recent)).toHaveLength(
      tpeHistoryWindow.recent,
    );
    expect(window.length).toBe(tpeHistoryWindow.recent + tpeHistoryWindow.best + 1);
    // Reports only where TPE reads them: pruned trials.
    for (const trial of window) expect(trial.reports.length).toBe(trial.state === "pruned" ? 1 : 0);
  });

  it("lets a TPE ask propose on the long study", async () => {
    const result = await proposeTrials(db.prisma, studyId, 1, { mode: "lease" });
    expect(result.trials[0]?.number).toBe(seeded);
    expect(result.trials[0]?.origin).toBe("tpe");
  });
});
