import type { z } from "zod";

/** One problem of a study definition: the JSON path of the offending field and a plain sentence. */
export interface DefinitionIssue {
  path: (string | number)[];
  message: string;
}

type ZodIssue = z.core.$ZodIssue;
type Path = (string | number)[];

function normalizePath(path: readonly PropertyKey[]): Path {
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

/** The value found at `path` in `input`, or undefined. */
export function readAtPath(input: unknown, path: readonly (string | number)[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  return typeof value === "number" ? "a number" : typeof value;
}

const articles: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
  record: "an object",
};

function describeTooSmallOrBig(issue: ZodIssue & { code: "too_small" | "too_big" }): string {
  const small = issue.code === "too_small";
  const bound = small ? issue.minimum : issue.maximum;
  const inclusive = issue.inclusive !== false;
  const op = small ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";
  if (issue.origin === "string") {
    return small && bound === 1 ? "must not be empty" : `must have ${op} ${String(bound)} characters`;
  }
  if (issue.origin === "array" || issue.origin === "set") {
    return small && bound === 1 ? "must not be empty" : `must have ${op} ${String(bound)} items`;
  }
  return `must be ${op} ${String(bound)}`;
}

/**
 * Turns zod issues into definition issues with plain sentences: a required field says so, an unknown field is
 * reported at its own path, a wrong `type` lists the known ones, and for a union the branch the input
 * evidently meant (the one whose errors lie deeper) is reported instead of a bare "Invalid input".
 */
export function describeZodIssues(
  issues: readonly ZodIssue[],
  input: unknown,
  prefix: Path = [],
): DefinitionIssue[] {
  const out: DefinitionIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...normalizePath(issue.path)];
    const value = readAtPath(input, path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown field "${key}"` });
        break;
      case "invalid_type":
        if (value === undefined) out.push({ path, message: "is required" });
        else if (typeof value === "number" && !Number.isFinite(value)) {
          out.push({ path, message: `must be a finite number, got ${String(value)}` });
        } else {
          const expected = articles[issue.expected] ?? issue.expected;
          out.push({ path, message: `must be ${expected}, got ${describeType(value)}` });
        }
        break;
      case "invalid_value":
        out.push({
          path,
          message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value) ?? "nothing"}`,
        });
        break;
      case "too_small":
      case "too_big":
        out.push({ path, message: describeTooSmallOrBig(issue) });
        break;
      case "invalid_union":
        out.push(...describeUnionIssue(issue, path, input, value));
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

function describeUnionIssue(
  issue: ZodIssue & { code: "invalid_union" },
  path: Path,
  input: unknown,
  value: unknown,
): DefinitionIssue[] {
  if ("discriminator" in issue && typeof issue.discriminator === "string") {
    const options = (issue as { options?: unknown[] }).options ?? [];
    const known = options.map((o) => JSON.stringify(o)).join(", ");
    return [
      value === undefined
        ? { path, message: `is required: one of ${known}` }
        : {
            path,
            message: `unknown ${issue.discriminator} ${JSON.stringify(value)}; expected one of ${known}`,
          },
    ];
  }
  // A branch whose problems lie below this path matched the input's shape: report its problems.
  const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
  if (deeper !== undefined) return describeZodIssues(deeper, input, path);
  if (typeof value === "number" && !Number.isFinite(value)) {
    return [{ path, message: `must be a finite number, got ${String(value)}` }];
  }
  const alternatives = issue.errors
    .map((branch) => describeZodIssues(branch, input, path)[0]?.message)
    .filter((m): m is string => m !== undefined);
  return [{ path, message: combineAlternatives(alternatives) }];
}

/**
 * Every number in the input that is NaN or ±Infinity, with its path. JSON cannot carry them, but YAML
 * (.nan, .inf) and in-process callers can, and a NaN bound would poison every sampler downstream.
 */
export function findNonFiniteNumbers(input: unknown, path: Path = []): DefinitionIssue[] {
  if (typeof input === "number") {
    return Number.isFinite(input) ? [] : [{ path, message: `must be a finite number, got ${String(input)}` }];
  }
  if (Array.isArray(input)) return input.flatMap((item, i) => findNonFiniteNumbers(item, [...path, i]));
  if (input !== null && typeof input === "object") {
    return Object.entries(input).flatMap(([key, item]) => findNonFiniteNumbers(item, [...path, key]));
  }
  return [];
}

/** ["must be a number, got null", "must be a string, got null"] → "must be a number or a string, got null". */
function combineAlternatives(messages: readonly string[]): string {
  if (messages.length === 0) return "is not valid";
  const parsed = messages.map((m) => /^must be (.*), got (.*)$/.exec(m));
  const first = parsed[0];
  if (first === null || first === undefined || parsed.some((p) => p === null)) return messages.join("; or ");
  const wanted = parsed.map((p) => p?.[1] ?? "");
  return `must be ${wanted.join(" or ")}, got ${first[2] ?? "something else"}`;
}
