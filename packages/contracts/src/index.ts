/**
 * @hpo/contracts: the one zod schema (and its type) of every message that crosses a process boundary.
 * - definition/: the study definition (space, sampler, pruner, trainer specs with their defaults), the
 *   body of POST /v1/studies and of the CLI's study files;
 * - rest/: REST request and reply bodies (the OpenAPI document is generated from them);
 * - events/: study events on the Redis channel and on SSE;
 * - queue/: BullMQ job data;
 * - ipc/: messages between a worker and its per-trial child process;
 * - trial-states.ts: trial states and the groups every count uses.
 * Rule: every process parses what it receives with these schemas; nothing crosses a boundary unparsed.
 */
export * from "./definition/space-schema.js";
export * from "./definition/sampler-config-schema.js";
export * from "./definition/pruner-config-schema.js";
export * from "./definition/trainer-spec-schema.js";
export * from "./definition/constraint-schema.js";
export * from "./definition/warm-start-schema.js";
export * from "./definition/study-definition-schema.js";
export * from "./trial-states.js";
export * from "./rest/common.js";
export * from "./rest/studies.js";
export * from "./rest/trials.js";
export * from "./rest/lifecycle.js";
export * from "./rest/workers.js";
export * from "./rest/projects.js";
export * from "./events/study-event.js";
export * from "./queue/trial-job.js";
export * from "./ipc/trial-child-messages.js";
export * from "./rest/analysis.js";
export * from "./rest/dashboard.js";
export * from "./rest/session.js";
export * from "./rest/diagnostics.js";
