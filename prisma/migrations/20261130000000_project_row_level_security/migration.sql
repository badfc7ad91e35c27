-- Row-level security: a second wall behind the code's project filter (docs/reliability.md).
--
-- The services connect as the tables' owner, which row-level security never restricts (no FORCE), so
-- nothing changes for them. Code that wants the database itself to enforce a project runs its queries in
-- a transaction that does `SET LOCAL ROLE hpo_project_scope` and sets `hpo.project_id` (withProjectScope in
-- packages/db): under that role a query sees and writes only that project's rows, whatever its WHERE says,
-- and nothing at all when no project is set. Where the migrating user may not create roles, the wall is
-- skipped with a notice and the services run as before.
DO $$
BEGIN
  CREATE ROLE hpo_project_scope NOLOGIN;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
  WHEN insufficient_privilege THEN RAISE NOTICE 'hpo: cannot create role hpo_project_scope; row-level security skipped';
END $$;

CREATE FUNCTION hpo_scope_project() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('hpo.project_id', true), '')::uuid
$$;

DO $$
DECLARE
  scoped RECORD;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hpo_project_scope') THEN
    RETURN;
  END IF;
  BEGIN
    -- Lets the migrating user (the services' user) SET ROLE to it; a superuser needs no grant.
    EXECUTE format('GRANT hpo_project_scope TO %I', current_user);
  EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN NULL;
  END;
  GRANT SELECT, INSERT, UPDATE, DELETE ON "Project", "ApiKey", "Study", "Trial", "TrialReport", "Worker"
    TO hpo_project_scope;
  FOR scoped IN
    SELECT * FROM (VALUES
      ('Project', '"id" = hpo_scope_project()'),
      ('ApiKey', '"projectId" = hpo_scope_project()'),
      ('Study', '"projectId" = hpo_scope_project()'),
      ('Worker', '"projectId" = hpo_scope_project()'),
      ('Trial', 'EXISTS (SELECT 1 FROM "Study" s WHERE s."id" = "Trial"."studyId" AND s."projectId" = hpo_scope_project())'),
      ('TrialReport', 'EXISTS (SELECT 1 FROM "Trial" t JOIN "Study" s ON s."id" = t."studyId" WHERE t."id" = "TrialReport"."trialId" AND s."projectId" = hpo_scope_project())')
    ) AS t(name, rule)
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', scoped.name);
    -- Every other role (a deployment whose API user is not the owner) keeps seeing every row.
    EXECUTE format(
      'CREATE POLICY hpo_unscoped ON %I USING (current_user <> ''hpo_project_scope'') WITH CHECK (current_user <> ''hpo_project_scope'')',
      scoped.name);
    EXECUTE format('CREATE POLICY hpo_project_scope ON %I TO hpo_project_scope USING (%s) WITH CHECK (%s)',
      scoped.name, scoped.rule, scoped.rule);
  END LOOP;
END $$;
