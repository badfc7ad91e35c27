export { createPrismaClient } from "./client/create-prisma-client.js";
export { applyMigrations, MigrationError } from "./migrations/apply-migrations.js";
export { ensureDatabaseExists, splitDatabaseUrl } from "./migrations/ensure-database-exists.js";
export {
  readMigrationFiles,
  defaultMigrationsDir,
  type MigrationFile,
} from "./migrations/migration-files.js";
export {
  projectScopeRole,
  withProjectScope,
  type ProjectScopeOptions,
} from "./project-scope/with-project-scope.js";
export * from "./generated/prisma/client.js";
export * from "./trial-store/index.js";
export { fleetMembers, fleetServes, poolsServing, type FleetMembership } from "./fleet-membership.js";
