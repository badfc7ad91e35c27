import { z } from "zod";

/** ISO 8601 time as every reply writes it (`Date.toISOString()`). */
export const isoTimeSchema = z.string().describe("ISO 8601 time");

/**
 * Metrics by name. A diverged run's NaN/Infinity reaches us as null (JSON has no NaN): such entries are
 * dropped rather than failing the whole message, which would strand the trial until its lease expires.
 */
export const metricsSchema = z
  .record(z.string().min(1).max(200), z.number().nullable())
  .transform((metrics) => {
    const kept: Record<string, number> = {};
    for (const [name, value] of Object.entries(metrics)) if (value !== null) kept[name] = value;
    return kept;
  });
export type Metrics = Record<string, number>;

/** Path parameter `:id` of every resource route (validated as a uuid by the route where it must be one). */
export const idParamsSchema = z.strictObject({ id: z.string().max(100) });

/** Where one problem of a refused request is: the part of the request and the JSON path inside it. */
export const pathIssueSchema = z.object({
  in: z.enum(["body", "query", "params", "headers"]),
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type PathIssue = z.infer<typeof pathIssueSchema>;

/** The one shape of every error answer. */
export const errorReplySchema = z
  .object({
    error: z.object({
      code: z.string().describe("Stable machine-readable code, e.g. validation_failed, lease_conflict"),
      message: z.string(),
      details: z
        .record(z.string(), z.unknown())
        .nullable()
        .describe(
          "Depends on the code; for 400s `issues` (validationDetailsSchema) lists every problem with its JSON path",
        ),
    }),
  })
  .describe("The one error shape");
export type ErrorReply = z.infer<typeof errorReplySchema>;

/** `details` of a 400 (and of any error that points at fields): one entry per problem. */
export const validationDetailsSchema = z.object({ issues: z.array(pathIssueSchema) });

/** A page of a keyset-paginated list; pass `nextCursor` back as `cursor` for the next page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
