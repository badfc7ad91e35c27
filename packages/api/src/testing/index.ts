/** Test helpers (a real API over its own database and Redis prefix); not part of the production entry point. */
export * from "./api-harness.js";
