import { randomUUID } from "node:crypto";
import type { JsonValue } from "@hpo/core";
import { Prisma, type StudyState, type Trial } from "../generated/prisma/client.js";
import type { Db } from "./study-lock.js";

/**
 * The statements of a proposal (propose-trials.ts), in raw SQL: every ask and every scheduler pass runs
 * them, and building the queries and mapping their rows through Prisma's query builder cost more CPU than
 * Postgres spent on them (docs/scaling.md §1).
 */

/** What a proposal reads of its study. */
export interface ProposalStudy {
  state: StudyState;
  definition: Prisma.JsonValue;
  samplerVersion: number;
  samplerState: Prisma.JsonValue | null;
}

/** The study, if it exists (and is the project's, when one is given: an ask checks its caller's project here). */
export async function readProposalStudy(
  db: Db,
  studyId: string,
  projectId?: string,
): Promise<ProposalStudy | null> {
  const inProject = projectId === undefined ? Prisma.sql`TRUE` : Prisma.sql`"projectId" = ${projectId}::uuid`;
  const rows = await db.$queryRaw<ProposalStudy[]>`
    SELECT "state"::text AS "state", "definition", "samplerVersion", "samplerState"
    FROM "Study" WHERE "id" = ${studyId}::uuid AND ${inProject}`;
  return rows[0] ?? null;
}

/** How a proposed trial starts: queued for the scheduler, or running under a lease (ask). */
export type StartMode = "queue" | "lease";

/**
 * Inserts a batch of proposed trials, numbered from `firstNumber`, in one statement; each leased trial
 * gets its own lease token. Ids are made here, as Prisma's `@default(uuid())` did.
 */
export async function insertProposedTrials(
  db: Db,
  studyId: string,
  firstNumber: number,
  suggestions: readonly { params: JsonValue; origin: string }[],
  start: { mode: StartMode; now: Date; workerId: string | null },
): Promise<Trial[]> {
  const ids = suggestions.map(() => randomUUID());
  const numbers = suggestions.map((_, index) => firstNumber + index);
  const params = suggestions.map((suggestion) => JSON.stringify(suggestion.params));
  const origins = suggestions.map((suggestion) => suggestion.origin);
  const leased = start.mode === "lease";
  const tokens = suggestions.map(() => (leased ? randomUUID() : null));
  const now = start.now;
  return db.$queryRaw<Trial[]>`
    INSERT INTO "Trial" ("id", "studyId", "number", "params", "origin", "state", "leaseToken", "workerId",
                         "queuedAt", "startedAt", "heartbeatAt", "updatedAt")
    SELECT p."id", ${studyId}::uuid, p."number", p."params"::jsonb, p."origin",
           ${leased ? "running" : "queued"}::"TrialState", p."token",
           ${leased ? start.workerId : null}::text, ${leased ? null : now}::timestamptz,
           ${leased ? now : null}::timestamptz, ${leased ? now : null}::timestamptz, now()
    FROM unnest(${ids}::uuid[], ${numbers}::int[], ${params}::text[], ${origins}::text[], ${tokens}::text[])
      AS p("id", "number", "params", "origin", "token")
    RETURNING *`;
}

/**
 * Saves the sampler's state if no one else saved one since this proposal read the study (compare-and-swap
 * on samplerVersion). Returns whether it did.
 */
export async function swapSamplerState(
  db: Db,
  studyId: string,
  readVersion: number,
  state: JsonValue | null,
): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE "Study" SET "samplerState" = ${state === null ? null : JSON.stringify(state)}::jsonb,
      "samplerVersion" = "samplerVersion" + 1, "updatedAt" = now()
    WHERE "id" = ${studyId}::uuid AND "samplerVersion" = ${readVersion}`;
  return count === 1;
}
