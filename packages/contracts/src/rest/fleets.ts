import { z } from "zod";
import { poolNameSchema } from "../definition/resources-schema.js";
import { isoTimeSchema } from "./common.js";

/** Path of the fleet routes: `/v1/fleets/:pool/...`. */
export const fleetParamsSchema = z.strictObject({ pool: poolNameSchema });
export const fleetMemberParamsSchema = z.strictObject({
  pool: poolNameSchema,
  projectId: z.string().max(100),
});

/** PUT /v1/fleets/:pool/members/:projectId: the pool's fleet serves this project with this share and limit. */
export const fleetMemberBodySchema = z.strictObject({
  /** Its weight in the fair share of the fleet's slots (default 1). */
  weight: z.number().positive().max(1_000_000).default(1),
  /** The most trials it may run on the fleet at once; null or absent: no limit beyond its share. */
  maxConcurrentTrials: z.int().min(0).max(1_000_000).nullable().optional(),
});

export const fleetMemberReplySchema = z.object({
  pool: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  weight: z.number(),
  maxConcurrentTrials: z.int().nullable(),
  createdAt: isoTimeSchema,
});
export type FleetMemberReply = z.infer<typeof fleetMemberReplySchema>;

/** PUT /v1/fleets/:pool: open the pool's fleet to every project (weight 1 unless a member row says more). */
export const fleetBodySchema = z.strictObject({ allProjects: z.boolean() });

/** POST /v1/fleets/:pool/keys: a fleet key; its secret is shown once. */
export const createdFleetKeyReplySchema = z.object({
  id: z.string(),
  key: z.string(),
  pool: z.string(),
  prefix: z.string(),
});

/** GET /v1/fleets: each pool with fleet members or live workers, its members, slots and queue. */
export const fleetReplySchema = z.object({
  pool: z.string(),
  /** Serves every project, not only its members. */
  allProjects: z.boolean(),
  members: z.array(fleetMemberReplySchema),
  workersAlive: z.int(),
  slots: z.int(),
  busySlots: z.int(),
});
export type FleetReply = z.infer<typeof fleetReplySchema>;
