import { HpoError } from "@hpo/core";
import type { Db, Study } from "@hpo/db";
import { requireUuid } from "../auth/project-scope.js";

/** The study if it belongs to the caller's project; otherwise (missing or another tenant's) a 404. */
export async function findStudyInProject(db: Db, projectId: string, studyId: string): Promise<Study> {
  const study = await db.study.findFirst({ where: { id: requireUuid(studyId, "Study"), projectId } });
  if (!study) throw new HpoError("not_found", "Study not found", { status: 404 });
  return study;
}
