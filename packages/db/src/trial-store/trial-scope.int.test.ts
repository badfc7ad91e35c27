import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { hpoErrorCode, leaseOneTrial } from "../testing/trial-fixtures.js";
import { appendTrialLog } from "./append-trial-log.js";
import { findScopedTrial } from "./find-scoped-trial.js";
import { heartbeatTrial } from "./heartbeat-trial.js";
import { reportTrial } from "./report-trial.js";
import type { TrialScope } from "./trial-scope.js";

let db: TestDatabase;
let ownProject = "";
let otherProject = "";

beforeAll(async () => {
  db = await createTestDatabase("trial_scope");
  ownProject = (await db.prisma.project.create({ data: { name: "own" } })).id;
  otherProject = (await db.prisma.project.create({ data: { name: "other" } })).id;
  // Pool "members" serves only the own project; pool "open" serves every project; pool "none" no one.
  await db.prisma.fleet.create({ data: { pool: "members" } });
  await db.prisma.fleetMember.create({ data: { pool: "members", projectId: ownProject } });
  await db.prisma.fleet.create({ data: { pool: "open", allProjects: true } });
  await db.prisma.fleet.create({ data: { pool: "none" } });
});
afterAll(async () => {
  await db.dispose();
});

describe("the caller's scope inside the fenced lifecycle statements", () => {
  it("lets a project key and the fleets serving its project write, and no one else (404, nothing changed)", async () => {
    const trial = await leaseOneTrial(db.prisma, ownProject, "scoped");
    const allowed: TrialScope[] = [{ projectId: ownProject }, { pool: "members" }, { pool: "open" }];
    const refused: TrialScope[] = [{ projectId: otherProject }, { pool: "none" }, { pool: "unknown" }];
    for (const scope of refused) {
      const before = await db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } });
      expect(await findScopedTrial(db.prisma, trial.id, scope)).toBeNull();
      expect(await hpoErrorCode(heartbeatTrial(db.prisma, trial.id, trial.leaseToken, { scope }))).toBe(
        "not_found",
      );
      const report = reportTrial(db.prisma, trial.id, {
        leaseToken: trial.leaseToken,
        step: 1,
        value: 1,
        scope,
      });
      expect(await hpoErrorCode(report)).toBe("not_found");
      expect(await hpoErrorCode(appendTrialLog(db.prisma, trial.id, trial.leaseToken, "x", scope))).toBe(
        "not_found",
      );
      const after = await db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } });
      expect(after.heartbeatAt).toEqual(before.heartbeatAt);
      expect(after.log).toBeNull();
      expect(await db.prisma.trialReport.count({ where: { trialId: trial.id } })).toBe(0);
    }
    for (const [step, scope] of allowed.entries()) {
      const found = await findScopedTrial(db.prisma, trial.id, scope);
      expect(found).toMatchObject({ id: trial.id, number: 0, projectId: ownProject, studyName: "scoped" });
      expect(await heartbeatTrial(db.prisma, trial.id, trial.leaseToken, { scope })).toMatchObject({
        stop: false,
      });
      const outcome = await reportTrial(db.prisma, trial.id, {
        leaseToken: trial.leaseToken,
        step,
        value: step,
        scope,
      });
      expect(outcome).toMatchObject({ duplicate: false, number: 0 });
      await appendTrialLog(db.prisma, trial.id, trial.leaseToken, `${step}`, scope);
    }
    expect(await db.prisma.trialReport.count({ where: { trialId: trial.id } })).toBe(3);
    expect((await db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } })).log).toBe("012");
  });

  it("keeps the lease fence: within scope, a stale token is 409 and names why", async () => {
    const trial = await leaseOneTrial(db.prisma, ownProject, "fenced");
    const scope = { projectId: ownProject };
    expect(await hpoErrorCode(heartbeatTrial(db.prisma, trial.id, "stale", { scope }))).toBe(
      "lease_conflict",
    );
    const report = reportTrial(db.prisma, trial.id, { leaseToken: "stale", step: 0, value: 1, scope });
    expect(await hpoErrorCode(report)).toBe("lease_conflict");
    expect(await hpoErrorCode(appendTrialLog(db.prisma, trial.id, "stale", "x", scope))).toBe(
      "lease_conflict",
    );
    // An unknown trial is a 404 with or without a scope.
    const unknown = crypto.randomUUID();
    expect(await hpoErrorCode(heartbeatTrial(db.prisma, unknown, "x", { scope }))).toBe("not_found");
    expect(await hpoErrorCode(appendTrialLog(db.prisma, unknown, "x", "x"))).toBe("not_found");
  });
});
