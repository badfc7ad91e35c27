/** Test helpers (own databases cloned from a migrated template); not part of the production entry point. */
export { createTestDatabase, type TestDatabase } from "./create-test-database.js";
