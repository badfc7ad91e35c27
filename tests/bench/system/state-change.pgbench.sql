-- The cost of the running trial counts' UPDATE trigger (prisma/migrations/20261130060000_study_trial_counts)
-- on a bare state change, without Node or HTTP: 8 clients flip random trials of one 100,000-trial study
-- between running and complete, as tells and claims do, each statement its own transaction.
--
-- Setup, in a database migrated by the repository's migrations (e.g. a copy of a test template):
--   INSERT INTO "Project" ("id", "name") VALUES ('00000000-0000-4000-8000-000000000001', 'p');
--   INSERT INTO "Study" ("id", "projectId", "name", "definition", "updatedAt")
--     VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 's', '{}', now());
--   INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "origin", "updatedAt")
--     SELECT gen_random_uuid(), '00000000-0000-4000-8000-000000000002', n, 'running', '{"x":1}', 'seed', now()
--     FROM generate_series(0, 99999) AS n;
--   VACUUM ANALYZE "Trial";
-- Then, in turn: ALTER TABLE "Trial" DISABLE (or ENABLE) TRIGGER "Trial_count_update"; and
--   pgbench -n -f tests/bench/system/state-change.pgbench.sql -c 8 -j 2 -T 8 <database>
\set n random(0, 99999)
UPDATE "Trial" SET "state" = CASE WHEN "state" = 'running' THEN 'complete'::"TrialState" ELSE 'running'::"TrialState" END, "heartbeatAt" = now() WHERE "studyId" = '00000000-0000-4000-8000-000000000002' AND "number" = :n;
