import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { hpoErrorCode, leaseOneTrial } from "../testing/trial-fixtures.js";
import { finishTrial } from "./finish-trial.js";
import { reportTrial } from "./report-trial.js";

let db: TestDatabase;
let projectId = "";

beforeAll(async () => {
  db = await createTestDatabase("report_trial");
  projectId = (await db.prisma.project.create({ data: { name: "reports" } })).id;
});
afterAll(async () => {
  await db.dispose();
});

describe("reportTrial without a pruner (one fenced statement)", () => {
  it("stores the report with its metrics, renews the heartbeat on the database clock, and says stop once stopped", async () => {
    const trial = await leaseOneTrial(db.prisma, projectId, "plain");
    const before = await db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = await reportTrial(db.prisma, trial.id, {
      leaseToken: trial.leaseToken,
      step: 3,
      value: 0.5,
      metrics: { loss: 0.5, acc: 0.9 },
    });
    expect(first).toEqual({ prune: false, stop: false, duplicate: false, studyId: trial.studyId, number: 0 });
    const stored = await db.prisma.trialReport.findUniqueOrThrow({
      where: { trialId_step: { trialId: trial.id, step: 3 } },
    });
    expect(stored).toMatchObject({ value: 0.5, metrics: { loss: 0.5, acc: 0.9 } });
    const after = await db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } });
    expect(after.heartbeatAt?.getTime()).toBeGreaterThan(before.heartbeatAt?.getTime() ?? Infinity);

    const again = await reportTrial(db.prisma, trial.id, { leaseToken: trial.leaseToken, step: 3, value: 9 });
    expect(again.duplicate).toBe(true);
    expect(await db.prisma.trialReport.count({ where: { trialId: trial.id } })).toBe(1);

    await db.prisma.study.update({ where: { id: trial.studyId }, data: { state: "stopped" } });
    const stopped = await reportTrial(db.prisma, trial.id, {
      leaseToken: trial.leaseToken,
      step: 4,
      value: 1,
    });
    expect(stopped.stop).toBe(true);
  });

  it("writes nothing for a stale lease (409), a finished trial (409) or an unknown one (404)", async () => {
    const trial = await leaseOneTrial(db.prisma, projectId, "fenced");
    expect(
      await hpoErrorCode(reportTrial(db.prisma, trial.id, { leaseToken: "stale", step: 0, value: 1 })),
    ).toBe("lease_conflict");
    await finishTrial(db.prisma, trial.id, { leaseToken: trial.leaseToken, state: "complete", value: 1 });
    expect(
      await hpoErrorCode(
        reportTrial(db.prisma, trial.id, { leaseToken: trial.leaseToken, step: 1, value: 1 }),
      ),
    ).toBe("lease_conflict");
    expect(await db.prisma.trialReport.count({ where: { trialId: trial.id } })).toBe(0);
    expect(
      await hpoErrorCode(reportTrial(db.prisma, crypto.randomUUID(), { leaseToken: "x", step: 0, value: 1 })),
    ).toBe("not_found");
  });
});
