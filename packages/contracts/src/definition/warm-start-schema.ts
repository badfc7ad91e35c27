import { z } from "zod";

/**
 * `warmStart`: earlier studies of the same project whose trials inform the new study's sampler (params
 * matched by name and type; the rest ignored with a note). They never count toward the new study's budget.
 */
export const warmStartSchema = z.strictObject({
  studies: z.array(z.uuid()).min(1).max(20),
});
export type WarmStart = z.infer<typeof warmStartSchema>;
