import type { StudyDefinitionInput } from "@hpo/contracts";
import type { PrismaClient } from "@hpo/db";

export interface BigStudyOptions {
  projectId: string;
  name: string;
  trials: number;
  /** Intermediate values per complete trial (pruned trials stop after two). */
  reports?: number;
  /** Fractions of the trials that end pruned or failed (the rest complete); 0 for the benchmark. */
  prunedFraction?: number;
  failedFraction?: number;
  /** Seeds Postgres' random() so that the same options give the same study. */
  seed?: number;
  /** The study's state (default completed). */
  state?: "running" | "completed";
}

/** The six params of the README's MLP study: the space every seeded study uses. */
export function bigStudyDefinition(name: string, maxTrials: number): StudyDefinitionInput {
  return {
    name,
    description: "Seeded in bulk by the dashboard benchmark: a synthetic MLP loss surface",
    objective: { metric: "val_loss", direction: "minimize" },
    space: [
      { name: "learning_rate", type: "float", low: 1e-5, high: 1, log: true },
      { name: "hidden_units", type: "int", low: 16, high: 512, log: true },
      { name: "layers", type: "int", low: 1, high: 5 },
      { name: "dropout", type: "float", low: 0, high: 0.5 },
      { name: "optimizer", type: "categorical", choices: ["sgd", "momentum", "adam", "rmsprop"] },
      { name: "initializer", type: "categorical", choices: ["zeros", "random", "xavier", "he"] },
    ],
    sampler: { type: "tpe" },
    budget: { maxTrials, parallelism: 8 },
    seed: 1,
  };
}

/**
 * Inserts a finished study of `trials` trials with their reports in three set-based statements
 * (generate_series in Postgres: ~100,000 trials and 500,000 reports in seconds, no row crosses the wire).
 * The loss is a smooth function of the params plus noise, so every chart has a shape to show.
 */
export async function seedBigStudy(prisma: PrismaClient, options: BigStudyOptions): Promise<string> {
  const { projectId, name, trials } = options;
  const reports = options.reports ?? 5;
  const pruned = options.prunedFraction ?? 0;
  const failed = options.failedFraction ?? 0;
  const seed = ((options.seed ?? 7) % 1000) / 1000;
  const definition = { sampler: { type: "tpe" }, pruner: { type: "none" }, trainer: { type: "external" } };
  const fullDefinition = { ...definition, ...bigStudyDefinition(name, trials) };
  const [study] = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "Study" ("id", "projectId", "name", "definition", "state", "updatedAt", "finishedAt")
    VALUES (gen_random_uuid(), ${projectId}::uuid, ${name}, ${JSON.stringify(fullDefinition)}::jsonb,
            ${options.state ?? "completed"}::"StudyState", now(), now())
    RETURNING "id"`;
  if (!study) throw new Error("the study was not inserted");
  await prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT setseed(${seed})::text AS "seeded"`;
      await tx.$executeRaw`
      INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "value", "metrics", "origin",
                           "startedAt", "finishedAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), ${study.id}::uuid, n, s.state::"TrialState",
             jsonb_build_object('learning_rate', s.lr, 'hidden_units', s.units, 'layers', s.layers,
                                'dropout', s.dropout, 'optimizer', s.optimizer, 'initializer', s.initializer),
             CASE WHEN s.state = 'failed' THEN NULL ELSE s.loss END,
             CASE WHEN s.state = 'failed' THEN NULL
                  ELSE jsonb_build_object('val_loss', s.loss, 'val_accuracy', greatest(0, 1 - s.loss / 2),
                                          'train_loss', s.loss * 0.9) END,
             'tpe', now() - make_interval(secs => (${trials} - n) * 2 + 10), now() - make_interval(secs => (${trials} - n) * 2),
             now() - make_interval(secs => (${trials} - n) * 2 + 11), now()
      FROM (
        SELECT n, lr, units, layers, dropout, optimizer, initializer,
               CASE WHEN u < ${failed} THEN 'failed' WHEN u < ${failed + pruned} THEN 'pruned' ELSE 'complete' END AS state,
               0.05 + 0.12 * power(log(lr) + 2.5, 2) + 0.04 * power(log(2.0, units::numeric)::float8 - 7, 2)
                 + 0.03 * abs(layers - 3) + 0.6 * power(dropout - 0.15, 2)
                 + CASE optimizer WHEN 'adam' THEN 0 WHEN 'rmsprop' THEN 0.04 WHEN 'momentum' THEN 0.08 ELSE 0.2 END
                 + CASE initializer WHEN 'zeros' THEN 0.9 WHEN 'random' THEN 0.15 WHEN 'xavier' THEN 0.02 ELSE 0 END
                 + 0.08 * noise AS loss
        FROM (
          SELECT n, power(10, -5 + 5 * random()) AS lr, floor(power(2, 4 + 5 * random()))::int AS units,
                 1 + floor(5 * random())::int AS layers, 0.5 * random() AS dropout,
                 (ARRAY['sgd', 'momentum', 'adam', 'rmsprop'])[1 + floor(4 * random())::int] AS optimizer,
                 (ARRAY['zeros', 'random', 'xavier', 'he'])[1 + floor(4 * random())::int] AS initializer,
                 random() AS u, random() * random() AS noise
          FROM generate_series(0, ${trials - 1}) AS n
        ) raw
      ) s`;
      await tx.$executeRaw`
      INSERT INTO "TrialReport" ("trialId", "step", "value", "metrics", "createdAt")
      SELECT t."id", step, t."value" * (1 + 0.6 * (${reports} - step) / ${reports}::float8),
             NULL, t."startedAt" + make_interval(secs => step)
      FROM "Trial" t, generate_series(1, ${reports}) AS step
      WHERE t."studyId" = ${study.id}::uuid AND t."value" IS NOT NULL
        AND (t."state" = 'complete' OR step <= 2)`;
    },
    { timeout: 600_000 },
  );
  await prisma.$executeRaw`ANALYZE "Trial"`;
  await prisma.$executeRaw`ANALYZE "TrialReport"`;
  return study.id;
}
