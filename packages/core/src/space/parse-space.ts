import { spaceSchema, type Space } from "@hpo/contracts";
import { HpoError } from "../errors/hpo-error.js";

export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

/** Parses an untrusted space; throws HpoError "invalid_space" (HTTP 400) listing every issue with its path. */
export function parseSpace(input: unknown): Space {
  const result = spaceSchema.safeParse(input);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === "number" ? p : String(p))),
    message: i.message,
  }));
  const first = issues[0];
  const where = first === undefined ? "" : ` at ${JSON.stringify(first.path)}: ${first.message}`;
  throw new HpoError("invalid_space", `invalid search space${where}`, { status: 400, details: { issues } });
}
