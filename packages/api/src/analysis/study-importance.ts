import type { ImportanceReply, StudyDefinition } from "@hpo/contracts";
import { loadHistory } from "@hpo/db";
import type { ProjectDatabase } from "../auth/project-database.js";
import type { SamplerPool } from "../sampling/sampler-pool.js";

/** Studies whose last answer is kept: importance only changes when a trial completes. */
const CACHED_STUDIES = 200;

/**
 * GET /v1/studies/:id/importance: the core's fANOVA importance (computed on a sampler thread, off the event
 * loop), per objective, reused until another trial of the study completes.
 */
export class StudyImportance {
  private readonly cache = new Map<string, { version: string; reply: ImportanceReply }>();

  constructor(private readonly pool: SamplerPool) {}

  /**
   * Reads the study's history in the caller's project (row-level security applies), then computes outside
   * that transaction, so no pooled connection waits for a sampler thread.
   */
  async of(project: ProjectDatabase, studyId: string, definition: StudyDefinition): Promise<ImportanceReply> {
    const read = await project.run(async (db) => {
      const completed = await db.trial.aggregate({
        where: { studyId, state: "complete" },
        _count: { _all: true },
        _max: { number: true },
      });
      const version = `${completed._count._all}|${completed._max.number ?? -1}`;
      const cached = this.cache.get(studyId);
      if (cached?.version === version) return { cached: cached.reply };
      return { version, history: await loadHistory(db, studyId, definition.objectives) };
    });
    if ("cached" in read) return read.cached;
    const { version, history } = read;
    const result = await this.pool.importance({
      space: definition.space,
      trials: history.filter((trial) => trial.state === "complete"),
      directions: definition.objectives.map((objective) => objective.direction),
      seed: definition.seed,
    });
    const reply: ImportanceReply = {
      method: result.method,
      objectives: result.objectives.map((objective) => {
        const { metric, direction } = definition.objectives[objective.index] ?? definition.objective;
        return {
          metric,
          direction,
          trialsUsed: objective.trialsUsed,
          params: objective.params.map(({ name, importance }) => ({ name, importance })),
        };
      }),
    };
    this.cache.delete(studyId);
    this.cache.set(studyId, { version, reply });
    if (this.cache.size > CACHED_STUDIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    return reply;
  }
}
