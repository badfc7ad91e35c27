export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

/** The one JSON shape of every error answer: `{ error: { code, message, details } }`. */
export function errorBody(code: string, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details } };
}

export interface PathIssue {
  /** Where the problem is: the request body, query string, path params or headers. */
  in: "body" | "query" | "params" | "headers";
  /** JSON path inside that part, e.g. ["space", 0, "low"]. */
  path: (string | number)[];
  message: string;
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
