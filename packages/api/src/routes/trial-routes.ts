import { HpoError } from "@hpo/core";
import {
  appendTrialLog,
  claimTrial,
  firstAttemptId,
  finishTrial,
  heartbeatTrial,
  readParams,
  readStudyDefinition,
  releaseTrial,
  reportTrial,
  type Db,
} from "@hpo/db";
import {
  claimBodySchema,
  claimReplySchema,
  heartbeatBodySchema,
  heartbeatReplySchema,
  idParamsSchema,
  logBodySchema,
  releaseBodySchema,
  releaseReplySchema,
  reportBodySchema,
  reportReplySchema,
  tellBodySchema,
  trialReplySchema,
} from "@hpo/contracts";
import { commonErrors } from "../http/common-errors.js";
import type { ApiContext, ZodApp } from "../api-context.js";
import { anyRole } from "../auth/principal.js";
import { projectDatabaseOf } from "../auth/project-database.js";
import { projectIdOf } from "../auth/project-scope.js";
import { findTrialForFleet, findTrialInProject } from "../trials/find-trial.js";
import { findLifecycleTrial, lifecycleScopeOf } from "../trials/lifecycle-scope.js";
import { requireUuid } from "../auth/project-scope.js";
import { checkClaimRequirements } from "../fleet/check-claim-requirements.js";
import { toTrialJson } from "../trials/trial-json.js";

/** A report's value taken from its metrics by the objective's name (the trial's study says which). */
async function metricValue(
  metrics: Record<string, number> | undefined,
  trialOf: () => Promise<{ definition: unknown }>,
): Promise<number> {
  const metric = readStudyDefinition((await trialOf()).definition).objective.metric;
  const value = metrics?.[metric];
  if (value === undefined) throw missingValue(metric);
  return value;
}

function missingValue(metric: string): HpoError {
  return new HpoError("validation_failed", `Give value or metrics.${metric}`, {
    status: 400,
    details: { issues: [{ in: "body", path: ["value"], message: `Give value or metrics.${metric}` }] },
  });
}

/**
 * A trial's own routes: read it, and the lease-fenced lifecycle used by workers and by external
 * ask/tell scripts. Every write presents the lease token; a stale one is a 409 that changes nothing.
 */
export function registerTrialRoutes(app: ZodApp, { prisma, events, metrics }: ApiContext): void {
  type Request = Parameters<typeof projectIdOf>[0];
  type FoundTrial = Awaited<ReturnType<typeof findTrialInProject>>;
  // The lifecycle writes below (claim, heartbeat, report, tell, release, logs) are the workers' hot path:
  // they keep the code's project filter alone (a fleet key reaches the trials of its pool's member
  // projects; any other key, its own project's), checked inside the trial store's fenced statements where
  // the route needs nothing else of the trial (heartbeat, report, logs: one round trip each), and the
  // trial-store functions open their own transactions.
  const trialOf = async (request: Request, id: string) =>
    findLifecycleTrial(prisma, await lifecycleScopeOf(request, prisma), id);
  /**
   * The reads: a project key's run under its project's row-level security (ProjectDatabase). A fleet
   * key's reads span several projects by design (its pool's members), so they stay unscoped.
   */
  const readTrial = async <T>(
    request: Request,
    id: string,
    work: (db: Db, trial: FoundTrial) => Promise<T>,
  ): Promise<T> => {
    const pool = request.principal?.pool ?? null;
    if (pool !== null) return work(prisma, await findTrialForFleet(prisma, pool, id));
    const project = await projectDatabaseOf(request, prisma);
    return project.run(async (db) => work(db, await findTrialInProject(db, project.projectId, id)));
  };

  app.get(
    "/v1/trials/:id",
    {
      config: { access: anyRole },
      schema: {
        tags: ["trials"],
        params: idParamsSchema,
        response: { 200: trialReplySchema, ...commonErrors },
      },
    },
    async (request) =>
      readTrial(request, request.params.id, async (db, trial) => {
        const reports = await db.trialReport.findMany({
          where: { trialId: trial.id },
          orderBy: { step: "asc" },
        });
        return toTrialJson({ ...trial, reports });
      }),
  );

  app.post(
    "/v1/trials/:id/claim",
    {
      config: { access: anyRole },
      schema: {
        tags: ["lifecycle"],
        params: idParamsSchema,
        body: claimBodySchema,
        response: { 200: claimReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const trial = await trialOf(request, request.params.id);
      // A fleet key's worker belongs to no project.
      const fleetKey = (request.principal?.pool ?? null) !== null;
      await checkClaimRequirements(
        prisma,
        fleetKey ? null : trial.projectId,
        request.body.workerId,
        trial.definition,
      );
      const claimed = await claimTrial(prisma, trial.id, {
        workerId: request.body.workerId,
        gpu: request.body.gpu ?? null,
        claimToken: request.body.claimToken,
      });
      await events.publish({
        type: "trial.updated",
        studyId: trial.studyId,
        trialId: trial.id,
        state: "running",
      });
      return {
        id: claimed.trial.id,
        studyId: claimed.trial.studyId,
        number: claimed.trial.number,
        params: readParams(claimed.trial.params),
        leaseToken: claimed.leaseToken,
        attempt: claimed.trial.attempt,
        definition: claimed.definition,
        seed: claimed.seed,
        checkpointKey: await firstAttemptId(prisma, claimed.trial),
        projectNumber: trial.projectNumber,
      };
    },
  );

  app.post(
    "/v1/trials/:id/heartbeat",
    {
      config: { access: anyRole },
      schema: {
        tags: ["lifecycle"],
        params: idParamsSchema,
        body: heartbeatBodySchema,
        response: { 200: heartbeatReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const scope = await lifecycleScopeOf(request, prisma);
      const id = requireUuid(request.params.id, "Trial");
      const { stop } = await heartbeatTrial(prisma, id, request.body.leaseToken, { scope });
      return { stop };
    },
  );

  app.post(
    "/v1/trials/:id/report",
    {
      config: { access: anyRole },
      schema: {
        tags: ["lifecycle"],
        params: idParamsSchema,
        body: reportBodySchema,
        response: {
          200: reportReplySchema,
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const scope = await lifecycleScopeOf(request, prisma);
      const id = requireUuid(request.params.id, "Trial");
      // Without a value, it is the objective's metric: only then is the study's definition read first.
      const value =
        request.body.value ??
        (await metricValue(request.body.metrics, () => findLifecycleTrial(prisma, scope, id)));
      const outcome = await reportTrial(prisma, id, {
        leaseToken: request.body.leaseToken,
        step: request.body.step,
        value,
        metrics: request.body.metrics ?? null,
        scope,
      });
      if (!outcome.duplicate) {
        await events.publish({
          type: "trial.reported",
          studyId: outcome.studyId,
          trialId: id,
          number: outcome.number,
          step: request.body.step,
          value,
          prune: outcome.prune,
        });
      }
      if (outcome.duplicate) {
        request.log.info(
          { trialId: id, step: request.body.step, sent: value, stored: outcome.storedValue },
          "repeated report: the stored value stands",
        );
      }
      return {
        prune: outcome.prune,
        stop: outcome.stop,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        duplicate: outcome.duplicate,
        ...(outcome.storedValue !== undefined ? { storedValue: outcome.storedValue } : {}),
      };
    },
  );

  app.post(
    "/v1/trials/:id/tell",
    {
      config: { access: anyRole },
      schema: {
        tags: ["lifecycle"],
        params: idParamsSchema,
        body: tellBodySchema,
        response: { 200: trialReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const trial = await trialOf(request, request.params.id);
      const { leaseToken: token, ...result } = request.body;
      const outcome = await finishTrial(
        prisma,
        trial.id,
        {
          leaseToken: token,
          state: result.state,
          value: result.value ?? null,
          values: result.values ?? null,
          metrics: result.metrics ?? null,
          ...(result.error !== undefined ? { error: result.error } : {}),
          ...(result.backend !== undefined ? { backend: result.backend } : {}),
          ...(result.gpu !== undefined ? { gpu: result.gpu } : {}),
          ...(result.diagnostics !== undefined ? { diagnostics: result.diagnostics } : {}),
        },
        // The study as found above: finishTrial need not read it again.
        { studyId: trial.studyId, definition: trial.definition },
      );
      // A repeated tell (a client's retry after a lost response) already counted and announced the result.
      if (outcome.repeated) return toTrialJson(outcome.trial);
      metrics.trialsFinished.inc({ state: result.state });
      const { startedAt, finishedAt } = outcome.trial;
      if (startedAt && finishedAt) {
        metrics.operator.trialDuration.observe(
          { state: outcome.trial.state },
          (finishedAt.getTime() - startedAt.getTime()) / 1000,
        );
      }
      await events.publish({
        type: "trial.updated",
        studyId: trial.studyId,
        trialId: trial.id,
        state: outcome.trial.state,
        number: trial.number,
        value: outcome.trial.value,
      });
      if (outcome.studyCompleted) {
        request.log.info(
          { study: trial.studyName, studyId: trial.studyId, reason: outcome.studyCompleted },
          "study completed",
        );
        await events.publish({ type: "study.updated", studyId: trial.studyId, state: "completed" });
      }
      return toTrialJson(outcome.trial);
    },
  );

  app.post(
    "/v1/trials/:id/release",
    {
      config: { access: anyRole },
      schema: {
        tags: ["lifecycle"],
        params: idParamsSchema,
        body: releaseBodySchema,
        response: {
          200: releaseReplySchema,
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const trial = await trialOf(request, request.params.id);
      const outcome = await releaseTrial(prisma, trial.id, request.body.leaseToken, request.body.reason);
      await events.publish({
        type: "trial.updated",
        studyId: trial.studyId,
        trialId: trial.id,
        state: outcome.trial.state,
      });
      if (outcome.retry) {
        await events.publish({
          type: "trial.created",
          studyId: trial.studyId,
          trialId: outcome.retry.id,
          state: outcome.retry.state,
          number: outcome.retry.number,
        });
      }
      return { trial: toTrialJson(outcome.trial), retry: outcome.retry ? toTrialJson(outcome.retry) : null };
    },
  );

  app.post(
    "/v1/trials/:id/logs",
    {
      config: { access: anyRole },
      schema: { tags: ["lifecycle"], params: idParamsSchema, body: logBodySchema },
    },
    async (request, reply) => {
      const scope = await lifecycleScopeOf(request, prisma);
      const id = requireUuid(request.params.id, "Trial");
      await appendTrialLog(prisma, id, request.body.leaseToken, request.body.text, scope);
      return reply.status(204).send();
    },
  );

  app.get(
    "/v1/trials/:id/logs",
    { config: { access: anyRole }, schema: { tags: ["trials"], params: idParamsSchema } },
    async (request, reply) => {
      const log = await readTrial(request, request.params.id, (_db, trial) => Promise.resolve(trial.log));
      return reply.type("text/plain; charset=utf-8").send(log ?? "");
    },
  );
}
