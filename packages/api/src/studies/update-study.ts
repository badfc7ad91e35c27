import type { PatchStudyBody } from "@hpo/contracts";
import { HpoError } from "@hpo/core";
import { cancelPendingTrials, lockStudy, readStudyDefinition, type Prisma, type Study } from "@hpo/db";
import type { ScopedDb } from "../auth/project-database.js";

export type StudyChange = PatchStudyBody;
type StudyAction = NonNullable<PatchStudyBody["action"]>;

function invalidTransition(action: StudyAction, state: string): HpoError {
  return new HpoError("invalid_transition", `Cannot ${action} a ${state} study`, {
    status: 409,
    details: { issues: [{ in: "body", path: ["action"], message: `The study is ${state}` }] },
  });
}

/** pause: no new trials (running ones finish). resume: proposals again. stop: pending trials cancelled, workers told to stop. */
function nextState(action: StudyAction, state: Study["state"]): Study["state"] {
  switch (action) {
    case "pause":
      if (state === "running" || state === "paused") return "paused";
      throw invalidTransition(action, state);
    case "resume":
      // A completed study can be resumed, e.g. after raising maxTrials.
      if (state === "stopped") throw invalidTransition(action, state);
      return "running";
    case "stop":
      if (state === "completed") throw invalidTransition(action, state);
      return "stopped";
  }
}

/**
 * PATCH /v1/studies/:id under the study lock, so a proposal never reads half of a budget change.
 * The budget lives inside the stored definition, which stays the single description of the study.
 * `tx` is the caller's project-scoped transaction (see ProjectDatabase): the study is re-read there, so a
 * study of another project is a 404 even if the caller's own lookup was wrong.
 */
export async function updateStudy(tx: ScopedDb, study: Study, change: StudyChange): Promise<Study> {
  await lockStudy(tx, study.id);
  const current = await tx.study.findUnique({ where: { id: study.id } });
  if (!current) throw new HpoError("not_found", "Study not found", { status: 404 });
  const data: Prisma.StudyUpdateInput = {};
  const now = new Date();
  if (change.action) {
    const state = nextState(change.action, current.state);
    if (state !== current.state) {
      data.state = state;
      data.stateReason = change.action === "stop" ? "stopped by request" : null;
      data.finishedAt = state === "stopped" ? now : null;
      if (state === "stopped") await cancelPendingTrials(tx, study.id, "cancelled: study stopped", now);
    }
  }
  if (change.parallelism !== undefined || change.maxTrials !== undefined) {
    const definition = readStudyDefinition(current.definition);
    const budget = { ...definition.budget };
    if (change.parallelism !== undefined) budget.parallelism = change.parallelism;
    if (change.maxTrials !== undefined) budget.maxTrials = change.maxTrials;
    data.definition = { ...definition, budget };
  }
  return tx.study.update({ where: { id: study.id }, data });
}
