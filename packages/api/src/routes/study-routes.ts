import { HpoError } from "@hpo/core";
import {
  createStudyBodySchema,
  idParamsSchema,
  pageOf,
  patchStudyBodySchema,
  studyListQuerySchema,
  studyReplySchema,
} from "@hpo/contracts";
import { lockStudy, type Prisma } from "@hpo/db";
import { z } from "zod";
import { commonErrors } from "../http/common-errors.js";
import type { ApiContext, ZodApp } from "../api-context.js";
import { userRoles } from "../auth/principal.js";
import { projectDatabaseOf, studyLockScope } from "../auth/project-database.js";
import { decodeCursor, encodeCursor } from "../http/cursor.js";
import { createStudy } from "../studies/create-study.js";
import { findStudyInProject } from "../studies/find-study.js";
import { toStudyJson, toStudyJsonList } from "../studies/study-json.js";
import { updateStudy } from "../studies/update-study.js";

/** The keyset cursor of the study list: opaque to clients, so it is the API's own, not a contract. */
const studyCursor = z.strictObject({ t: z.iso.datetime(), i: z.uuid() });
const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;

function idempotencyKeyOf(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header !== "string" || !idempotencyKeyPattern.test(header)) {
    throw new HpoError("validation_failed", "Idempotency-Key must be 1-200 visible ASCII characters", {
      status: 400,
      details: {
        issues: [{ in: "headers", path: ["idempotency-key"], message: "1-200 visible ASCII characters" }],
      },
    });
  }
  return header;
}

/** Every handler reaches the database through the caller's ProjectDatabase: row-level security applies. */
export function registerStudyRoutes(app: ZodApp, { prisma, events }: ApiContext): void {
  app.post(
    "/v1/studies",
    {
      config: { access: userRoles },
      schema: {
        tags: ["studies"],
        description: "Create a study from its definition. Idempotent with an Idempotency-Key header.",
        // Documents the definition in OpenAPI; the check itself is core's validateStudyDefinition (in
        // createStudy), which adds the cross-field checks and plain-sentence messages every entry point shares.
        body: createStudyBodySchema,
        response: { 201: studyReplySchema, ...commonErrors },
      },
      validatorCompiler: () => (data: unknown) => ({ value: data }),
    },
    async (request, reply) => {
      const project = await projectDatabaseOf(request, prisma);
      const key = idempotencyKeyOf(request.headers["idempotency-key"]);
      const { study, created } = await createStudy(project, request.body, key);
      if (created) {
        request.log.info({ study: study.name, studyId: study.id }, "study started");
        await events.publish({ type: "study.created", studyId: study.id, state: study.state });
      }
      return reply.status(201).send(await project.run((db) => toStudyJson(db, study)));
    },
  );

  app.get(
    "/v1/studies",
    {
      config: { access: userRoles },
      schema: {
        tags: ["studies"],
        querystring: studyListQuerySchema,
        response: { 200: pageOf(studyReplySchema), ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      const { state, name, limit, cursor } = request.query;
      const where: Prisma.StudyWhereInput = { projectId: project.projectId };
      if (state) where.state = { in: state };
      if (name) where.name = { contains: name, mode: "insensitive" };
      if (cursor) {
        // Keyset on (createdAt, id) descending: a study created meanwhile sorts before the cursor and
        // never shifts a later page.
        const after = decodeCursor(cursor, studyCursor);
        const at = new Date(after.t);
        where.OR = [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: after.i } }];
      }
      return project.run(async (db) => {
        const rows = await db.study.findMany({
          where,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: limit + 1,
        });
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        const nextCursor =
          rows.length > limit && last ? encodeCursor({ t: last.createdAt.toISOString(), i: last.id }) : null;
        return { items: await toStudyJsonList(db, page), nextCursor };
      });
    },
  );

  app.get(
    "/v1/studies/:id",
    {
      config: { access: userRoles },
      schema: {
        tags: ["studies"],
        params: idParamsSchema,
        response: { 200: studyReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      return project.run(async (db) =>
        toStudyJson(db, await findStudyInProject(db, project.projectId, request.params.id)),
      );
    },
  );

  app.patch(
    "/v1/studies/:id",
    {
      config: { access: userRoles },
      schema: {
        tags: ["studies"],
        params: idParamsSchema,
        body: patchStudyBodySchema,
        response: { 200: studyReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      const { study, updated } = await project.run(async (db) => {
        const found = await findStudyInProject(db, project.projectId, request.params.id);
        return { study: found, updated: await updateStudy(db, found, request.body) };
      }, studyLockScope);
      if (updated.state !== study.state) {
        request.log.info(
          { study: updated.name, studyId: updated.id, state: updated.state },
          `study ${updated.state}`,
        );
      }
      await events.publish({ type: "study.updated", studyId: updated.id, state: updated.state });
      // A transaction of its own: the study lock is not held while the reply is computed.
      return project.run((db) => toStudyJson(db, updated));
    },
  );

  app.delete(
    "/v1/studies/:id",
    { config: { access: userRoles }, schema: { tags: ["studies"], params: idParamsSchema } },
    async (request, reply) => {
      const project = await projectDatabaseOf(request, prisma);
      // Hard delete (trials and reports cascade): a worker still holding one of its trials gets 404 and drops it.
      // Under the study lock, so a concurrent proposal (ask, scheduler) never inserts into a vanishing study.
      const study = await project.run(async (db) => {
        const found = await findStudyInProject(db, project.projectId, request.params.id);
        await lockStudy(db, found.id);
        const { count } = await db.study.deleteMany({ where: { id: found.id } });
        // Gone meanwhile (a concurrent delete), or a row the project's row-level security hides.
        if (count === 0) throw new HpoError("not_found", "Study not found", { status: 404 });
        return found;
      }, studyLockScope);
      await events.publish({ type: "study.updated", studyId: study.id, state: "deleted" });
      return reply.status(204).send();
    },
  );
}
