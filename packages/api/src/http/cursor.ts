import { HpoError } from "@hpo/core";
import type { z } from "zod";

/** Opaque keyset cursors: base64url JSON of the last row's sort key (never an offset, so concurrent inserts cannot shift pages). */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new HpoError("invalid_cursor", "The cursor is not one this endpoint returned", {
      status: 400,
      details: { issues: [{ in: "query", path: ["cursor"], message: "Unknown cursor" }] },
    });
  }
  return parsed.data;
}
