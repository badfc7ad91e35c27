import type { ErrorReply, PathIssue } from "@hpo/contracts";

export type { PathIssue };

/**
 * The one JSON shape of every error answer (`errorReplySchema`): `{ error: { code, message, details } }`.
 * `details` is an object or null; anything else an error carries is wrapped as `{ value }`.
 */
export function errorBody(code: string, message: string, details: unknown = null): ErrorReply {
  return { error: { code, message, details: detailsObject(details) } };
}

function detailsObject(details: unknown): Record<string, unknown> | null {
  if (details === null || details === undefined) return null;
  if (typeof details === "object" && !Array.isArray(details)) return { ...details };
  return { value: details };
}

/** "space[0].low" — the human-readable form used in messages. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    return text === "" ? key : `${text}.${key}`;
  }, "");
}

export function describeIssues(issues: readonly PathIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const where = formatPath(issue.path);
    return where === "" ? `${issue.in}: ${issue.message}` : `${issue.in}.${where}: ${issue.message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
  return `Invalid request: ${shown.join("; ")}${more}`;
}
