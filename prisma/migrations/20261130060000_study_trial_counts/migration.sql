-- Running counts of each study's trials by state (docs/scaling.md §4, item 2): the study read, the dashboard
-- summary and the settle check read a few dozen rows here instead of counting the study's trials (a
-- sequential scan of ~90-150 ms at 100,000 trials).
--
-- Triggers on "Trial" keep the counts exact for every write path (Prisma or raw SQL), in the same
-- transaction as the change. Per-trial writes (claim, report, tell) deliberately do not serialise on the
-- study, so one counter row per (study, state) would make every tell of a study queue behind the others
-- on that row until commit. Each (study, state) is therefore spread over 8 shards, chosen by the trial's
-- id (the last byte of its uuid: fixed for the trial's life, so its decrement always finds the row its
-- increment made, and no shard goes negative); readers sum the shards. Two concurrent tells of one study
-- meet on a row only when their trials share a shard (1 in 8).
CREATE TABLE "StudyTrialCount" (
    "studyId" UUID NOT NULL,
    "state" "TrialState" NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StudyTrialCount_pkey" PRIMARY KEY ("studyId","state","shard")
) WITH (fillfactor = 50); -- room on each page for HOT updates: the rows are rewritten on every state change

ALTER TABLE "StudyTrialCount" ADD CONSTRAINT "StudyTrialCount_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION hpo_trial_count_shard(trial_id uuid) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (get_byte(uuid_send(trial_id), 15) & 7)::smallint
$$;

-- Inserts and deletes are counted once per statement, from its transition table: a statement that
-- writes many trials (a proposal's batch, a seeded history, a study's cascade delete) then updates each
-- counter row once. Row by row, every update of a row left a new version of it that the next one had to
-- step over within the transaction: 100,000 inserts in one statement took minutes instead of seconds.
-- Rows are locked in key order, so two statements never take them in opposite orders.
CREATE FUNCTION hpo_count_inserted_trials() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StudyTrialCount" AS c ("studyId", "state", "shard", "count")
  SELECT "studyId", "state", hpo_trial_count_shard("id"), count(*)::int
  FROM inserted_trials
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT ("studyId", "state", "shard") DO UPDATE SET "count" = c."count" + EXCLUDED."count";
  RETURN NULL;
END
$$;

CREATE FUNCTION hpo_count_deleted_trials() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gone RECORD;
BEGIN
  FOR gone IN
    SELECT "studyId", "state", hpo_trial_count_shard("id") AS "shard", count(*)::int AS "count"
    FROM deleted_trials
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
  LOOP
    -- An UPDATE, not an upsert: when the study itself is being deleted its counts may already be gone
    -- (both cascade from "Study"), and there is nothing left to count.
    UPDATE "StudyTrialCount" SET "count" = "count" - gone."count"
    WHERE "studyId" = gone."studyId" AND "state" = gone."state" AND "shard" = gone."shard";
  END LOOP;
  RETURN NULL;
END
$$;

-- A state change is counted row by row: a statement-level UPDATE trigger with transition tables cannot
-- name its columns, so it would run (and copy the old and new rows) on every heartbeat and report, while
-- this one's WHEN leaves them free of any call. Updates that change the state of very many trials in one
-- transaction (cancelling a study's pending trials) rewrite each counter row once per trial.
CREATE FUNCTION hpo_count_trial_state_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (OLD."studyId", OLD."state", hpo_trial_count_shard(OLD."id"))
     IS NOT DISTINCT FROM (NEW."studyId", NEW."state", hpo_trial_count_shard(NEW."id")) THEN
    RETURN NULL;
  END IF;
  -- Both rows in one statement, in key order.
  INSERT INTO "StudyTrialCount" AS c ("studyId", "state", "shard", "count")
  SELECT d."studyId", d."state", d."shard", d."delta"
  FROM (VALUES (OLD."studyId", OLD."state", hpo_trial_count_shard(OLD."id"), -1),
               (NEW."studyId", NEW."state", hpo_trial_count_shard(NEW."id"), 1))
       AS d("studyId", "state", "shard", "delta")
  ORDER BY d."studyId", d."state", d."shard"
  ON CONFLICT ("studyId", "state", "shard") DO UPDATE SET "count" = c."count" + EXCLUDED."count";
  RETURN NULL;
END
$$;

CREATE FUNCTION hpo_reset_trial_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "StudyTrialCount";
  RETURN NULL;
END
$$;

CREATE TRIGGER "Trial_count_insert" AFTER INSERT ON "Trial"
  REFERENCING NEW TABLE AS inserted_trials
  FOR EACH STATEMENT EXECUTE FUNCTION hpo_count_inserted_trials();
CREATE TRIGGER "Trial_count_update" AFTER UPDATE OF "state", "studyId", "id" ON "Trial"
  FOR EACH ROW
  WHEN (OLD."state" IS DISTINCT FROM NEW."state" OR OLD."studyId" IS DISTINCT FROM NEW."studyId"
        OR OLD."id" IS DISTINCT FROM NEW."id")
  EXECUTE FUNCTION hpo_count_trial_state_change();
CREATE TRIGGER "Trial_count_delete" AFTER DELETE ON "Trial"
  REFERENCING OLD TABLE AS deleted_trials
  FOR EACH STATEMENT EXECUTE FUNCTION hpo_count_deleted_trials();
CREATE TRIGGER "Trial_count_truncate" AFTER TRUNCATE ON "Trial"
  FOR EACH STATEMENT EXECUTE FUNCTION hpo_reset_trial_counts();

-- Backfill. Creating the triggers took a lock on "Trial" that blocks writers until this migration commits,
-- so no write falls between the triggers and this count.
INSERT INTO "StudyTrialCount" ("studyId", "state", "shard", "count")
SELECT "studyId", "state", hpo_trial_count_shard("id"), count(*)::int
FROM "Trial"
GROUP BY 1, 2, 3;

-- The same row-level security as "Trial" (migration 20261130000000_project_row_level_security): under the
-- project scope role a study's counts are visible, and writable by the triggers, only in its project.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hpo_project_scope') THEN
    RETURN;
  END IF;
  GRANT SELECT, INSERT, UPDATE, DELETE ON "StudyTrialCount" TO hpo_project_scope;
  ALTER TABLE "StudyTrialCount" ENABLE ROW LEVEL SECURITY;
  CREATE POLICY hpo_unscoped ON "StudyTrialCount"
    USING (current_user <> 'hpo_project_scope') WITH CHECK (current_user <> 'hpo_project_scope');
  CREATE POLICY hpo_project_scope ON "StudyTrialCount" TO hpo_project_scope
    USING (EXISTS (SELECT 1 FROM "Study" s WHERE s."id" = "StudyTrialCount"."studyId" AND s."projectId" = hpo_scope_project()))
    WITH CHECK (EXISTS (SELECT 1 FROM "Study" s WHERE s."id" = "StudyTrialCount"."studyId" AND s."projectId" = hpo_scope_project()));
END $$;
