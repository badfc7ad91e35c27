import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { withProjectScope } from "./with-project-scope.js";

interface Tenant {
  projectId: string;
  studyId: string;
  trialId: string;
}

let db: TestDatabase;
let a: Tenant;
let b: Tenant;

async function tenant(name: string): Promise<Tenant> {
  const project = await db.prisma.project.create({ data: { name } });
  const study = await db.prisma.study.create({
    data: { projectId: project.id, name: `${name}-study`, definition: {} },
  });
  const trial = await db.prisma.trial.create({
    data: { studyId: study.id, number: 0, params: {}, origin: "manual" },
  });
  await db.prisma.trialReport.create({ data: { trialId: trial.id, step: 0, value: 1 } });
  await db.prisma.worker.create({
    data: { id: `${name}-worker`, projectId: project.id, host: "h", gpus: [], backend: "cpu", slots: 1 },
  });
  await db.prisma.apiKey.create({
    data: { projectId: project.id, role: "user", hash: `${name}-hash`, prefix: "hpo_x" },
  });
  return { projectId: project.id, studyId: study.id, trialId: trial.id };
}

beforeAll(async () => {
  db = await createTestDatabase("project_scope");
  a = await tenant("rls-a");
  b = await tenant("rls-b");
});
afterAll(async () => {
  await db.dispose();
});

describe("row-level security (the second wall behind the code's project filter)", () => {
  it("lets a query without a project filter read only its own project's rows", async () => {
    const seen = await withProjectScope(db.prisma, a.projectId, async (tx) => ({
      projects: (await tx.project.findMany()).map((row) => row.id),
      studies: (await tx.study.findMany()).map((row) => row.id),
      trials: (await tx.trial.findMany()).map((row) => row.id),
      reports: await tx.trialReport.count(),
      workers: (await tx.worker.findMany()).map((row) => row.id),
      keys: await tx.apiKey.count(),
      otherStudy: await tx.study.findUnique({ where: { id: b.studyId } }),
      otherTrial: await tx.trial.findUnique({ where: { id: b.trialId } }),
    }));
    expect(seen).toEqual({
      projects: [a.projectId],
      studies: [a.studyId],
      trials: [a.trialId],
      reports: 1,
      workers: ["rls-a-worker"],
      keys: 1,
      otherStudy: null,
      otherTrial: null,
    });
  });

  it("refuses to change or create another project's rows", async () => {
    const changed = await withProjectScope(db.prisma, a.projectId, (tx) =>
      tx.study.updateMany({ where: { id: b.studyId }, data: { name: "taken-over" } }),
    );
    expect(changed.count).toBe(0);
    await expect(
      withProjectScope(db.prisma, a.projectId, (tx) =>
        tx.study.create({ data: { projectId: b.projectId, name: "planted", definition: {} } }),
      ),
    ).rejects.toThrow(/row-level security|policy/i);
    expect((await db.prisma.study.findUniqueOrThrow({ where: { id: b.studyId } })).name).toBe("rls-b-study");
  });

  it("ends with its transaction: the services' own connection still sees every project", async () => {
    const jitOf = async (client: Pick<typeof db.prisma, "$queryRaw">) =>
      (await client.$queryRaw<{ jit: string }[]>`SELECT current_setting('jit') AS jit`)[0]?.jit;
    const outside = await jitOf(db.prisma);
    // JIT is off inside the scope only (see withProjectScope), like the role and the project.
    expect(await withProjectScope(db.prisma, a.projectId, (tx) => jitOf(tx))).toBe("off");
    expect(await jitOf(db.prisma)).toBe(outside);
    await withProjectScope(db.prisma, a.projectId, (tx) => tx.study.count());
    expect(await db.prisma.study.count()).toBe(2);
    const role = await db.prisma.$queryRaw<{ role: string }[]>`SELECT current_user AS role`;
    expect(role[0]?.role).not.toBe("hpo_project_scope");
  });
});
