import { validateStudyDefinition } from "@hpo/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { loadHistory } from "./load-history.js";
import { proposeTrials } from "./propose-trials.js";

let db: TestDatabase;
let studyId = "";
const seeded = 40_000;

beforeAll(async () => {
  db = await createTestDatabase("load_history");
  const project = await db.prisma.project.create({ data: { name: "history" } });
  const checked = validateStudyDefinition({
    name: "big",
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: 0, high: 1 }],
    sampler: { type: "random" },
    budget: { maxTrials: 100_000, parallelism: 4 },
    trainer: { type: "external" },
    seed: 1,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  studyId = (
    await db.prisma.study.create({ data: { projectId: project.id, name: "big", definition: checked.value } })
  ).id;
  // More trials than Postgres's 32,767 bind parameters, each with two reports.
  await db.prisma.$executeRaw`
    INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "value", "origin", "updatedAt")
    SELECT gen_random_uuid(), ${studyId}::uuid, n, 'complete', jsonb_build_object('x', n / ${seeded}::float8),
           n, 'seeded', now()
    FROM generate_series(0, ${seeded - 1}) AS n`;
  await db.prisma.$executeRaw`
    INSERT INTO "TrialReport" ("trialId", "step", "value")
    SELECT t."id", s, t."value" + s FROM "Trial" t, generate_series(1, 2) AS s WHERE t."studyId" = ${studyId}::uuid`;
}, 60_000);
afterAll(async () => {
  await db.dispose();
});

describe("loadHistory", () => {
  it("loads a study of 40,000 trials with their reports in step order (past the bind-parameter limit)", async () => {
    const history = await loadHistory(db.prisma, studyId);
    expect(history).toHaveLength(seeded);
    expect(history[0]).toMatchObject({ number: 0, state: "complete", value: 0 });
    expect(history[seeded - 1]?.reports).toEqual([
      { step: 1, value: seeded },
      { step: 2, value: seeded + 1 },
    ]);
  }, 30_000);

  it("lets an ask propose on such a study", async () => {
    const result = await proposeTrials(db.prisma, studyId, 1, { mode: "lease" });
    expect(result.trials[0]?.number).toBe(seeded);
  }, 30_000);
});
