import { HpoError, validateStudyDefinition } from "@hpo/core";
import { Prisma, type Study } from "@hpo/db";
import type { ProjectDatabase, ScopedDb } from "../auth/project-database.js";
import { stableStringify } from "../http/stable-json.js";

export interface CreateStudyResult {
  study: Study;
  /** false when an earlier request with the same Idempotency-Key already created it. */
  created: boolean;
}

function idempotentReplay(existing: Study, definition: unknown): CreateStudyResult {
  if (stableStringify(existing.definition) !== stableStringify(definition)) {
    throw new HpoError("idempotency_conflict", "This Idempotency-Key was used for a different study", {
      status: 409,
      details: { studyId: existing.id },
    });
  }
  return { study: existing, created: false };
}

/** Warm start reads earlier studies of the same project only: any other id is a 400 with its path. */
async function checkWarmStartStudies(db: ScopedDb, projectId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db.study.findMany({
    where: { id: { in: [...ids] }, projectId },
    select: { id: true },
  });
  const known = new Set(found.map((study) => study.id));
  const issues = ids.flatMap((id, index) =>
    known.has(id)
      ? []
      : [
          {
            in: "body" as const,
            path: ["warmStart", "studies", index],
            message: "No study with this id in this project",
          },
        ],
  );
  const first = issues[0];
  if (first) {
    throw new HpoError(
      "validation_failed",
      `Invalid study definition: warmStart.studies.${first.path[2]}: ${first.message}`,
      {
        status: 400,
        details: { issues },
      },
    );
  }
}

/**
 * Validates the definition (every problem with its JSON path) and creates the study. With an
 * Idempotency-Key, a repeated request (a client retrying after a timeout) returns the same study instead
 * of a duplicate; UNIQUE(projectId, idempotencyKey) settles two concurrent repeats. Every read and write
 * runs under the project's row-level security (project.run).
 */
export async function createStudy(
  project: ProjectDatabase,
  input: unknown,
  idempotencyKey: string | null,
): Promise<CreateStudyResult> {
  const checked = validateStudyDefinition(input);
  if (!checked.ok) {
    const issues = checked.issues.map((issue) => ({
      in: "body" as const,
      path: issue.path,
      message: issue.message,
    }));
    const first = issues[0];
    throw new HpoError(
      "validation_failed",
      first
        ? `Invalid study definition: ${first.path.join(".") || "body"}: ${first.message}`
        : "Invalid study",
      { status: 400, details: { issues } },
    );
  }
  const definition = checked.value;
  const { projectId } = project;
  const findReplay = async () =>
    idempotencyKey === null
      ? null
      : project.run((db) =>
          db.study.findUnique({ where: { projectId_idempotencyKey: { projectId, idempotencyKey } } }),
        );
  const earlier = await findReplay();
  if (earlier) return idempotentReplay(earlier, definition);
  try {
    // The study and its initial trials in one transaction: no sampler can number a trial before them. A
    // unique violation aborts it, so the replay below reads in a transaction of its own.
    const study = await project.run(async (tx) => {
      await checkWarmStartStudies(tx, projectId, definition.warmStart?.studies ?? []);
      const created = await tx.study.create({
        data: { projectId, name: definition.name, definition, idempotencyKey },
      });
      const initial = definition.initialTrials ?? [];
      if (initial.length > 0) {
        await tx.trial.createMany({
          data: initial.map((params, number) => ({
            studyId: created.id,
            number,
            state: "waiting" as const,
            params,
            origin: "manual",
          })),
        });
      }
      return created;
    });
    return { study, created: true };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
    const raced = await findReplay();
    if (raced) return idempotentReplay(raced, definition);
    throw new HpoError("name_taken", `A study named ${definition.name} exists in this project`, {
      status: 409,
      details: { issues: [{ in: "body", path: ["name"], message: "Name already used in this project" }] },
    });
  }
}
