import { z } from "zod";

/**
 * The search space: the `space` array of the REST study definition, validated by this ONE schema
 * (the API, the scheduler, the study facade and the benchmark all parse through it).
 *
 * Cross-field rules live in `superRefine` so every problem is reported with the JSON path of the
 * offending field (e.g. `[2, "step"]`), never as a crash further down.
 */
export const paramValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export type ParamValue = z.infer<typeof paramValueSchema>;
export type Params = Record<string, ParamValue>;
/** A trial's params by name (inactive conditional params are absent). */
export const paramsSchema = z.record(z.string().min(1).max(200), paramValueSchema);

/** `when`: active iff every named (earlier) param is active and equals one of the listed values. */
export const whenSchema = z.record(
  z.string().min(1),
  z.union([paramValueSchema, z.array(paramValueSchema).min(1)]),
);
export type When = z.infer<typeof whenSchema>;

const nameSchema = z.string().min(1).max(200);

const floatSpecSchema = z.strictObject({
  name: nameSchema,
  type: z.literal("float"),
  low: z.number(),
  high: z.number(),
  log: z.boolean().optional(),
  step: z.number().positive().optional(),
  when: whenSchema.optional(),
});

const intSpecSchema = z.strictObject({
  name: nameSchema,
  type: z.literal("int"),
  low: z.number().int(),
  high: z.number().int(),
  log: z.boolean().optional(),
  step: z.number().int().positive().optional(),
  when: whenSchema.optional(),
});

const categoricalSpecSchema = z.strictObject({
  name: nameSchema,
  type: z.literal("categorical"),
  choices: z.array(paramValueSchema).min(1),
  when: whenSchema.optional(),
});

export const paramSpecSchema = z.discriminatedUnion("type", [
  floatSpecSchema,
  intSpecSchema,
  categoricalSpecSchema,
]);
export type FloatParamSpec = z.infer<typeof floatSpecSchema>;
export type IntParamSpec = z.infer<typeof intSpecSchema>;
export type CategoricalParamSpec = z.infer<typeof categoricalSpecSchema>;
export type ParamSpec = z.infer<typeof paramSpecSchema>;
export type NumericParamSpec = FloatParamSpec | IntParamSpec;

type Issue = { path: (string | number)[]; message: string };

/** Relative tolerance for "step divides the range": float steps like 0.1 are not exact in binary. */
const STEP_TOLERANCE = 1e-9;

export function stepDividesRange(low: number, high: number, step: number): boolean {
  const k = (high - low) / step;
  return Math.abs(k - Math.round(k)) <= STEP_TOLERANCE * Math.max(1, Math.abs(k));
}

/** Stable key for a categorical choice: 1, "1" and true are different choices. */
export function choiceKey(value: ParamValue): string {
  return `${typeof value}:${String(value)}`;
}

function checkNumericSpec(spec: NumericParamSpec, index: number, issues: Issue[]): void {
  if (!(spec.low < spec.high))
    issues.push({ path: [index, "high"], message: "high must be greater than low" });
  if (spec.log === true && !(spec.low > 0)) {
    issues.push({ path: [index, "low"], message: "log scale needs low > 0" });
  }
  if (spec.step !== undefined) {
    if (spec.log === true && !(spec.type === "int" && spec.step === 1)) {
      issues.push({ path: [index, "step"], message: "step cannot be combined with log (except int step 1)" });
    } else if (spec.low < spec.high && !stepDividesRange(spec.low, spec.high, spec.step)) {
      issues.push({ path: [index, "step"], message: `step ${spec.step} does not divide high - low` });
    }
  }
}

/** Whether `value` is a value the param can take (used to reject `when` conditions that can never hold). */
export function isPossibleValue(spec: ParamSpec, value: ParamValue): boolean {
  if (spec.type === "categorical") return spec.choices.some((c) => choiceKey(c) === choiceKey(value));
  if (typeof value !== "number") return false;
  if (spec.type === "int" && !Number.isInteger(value)) return false;
  return value >= spec.low && value <= spec.high;
}

function checkWhen(space: readonly ParamSpec[], index: number, issues: Issue[]): void {
  const spec = space[index];
  if (spec?.when === undefined) return;
  for (const [parentName, expected] of Object.entries(spec.when)) {
    const parentIndex = space.findIndex((p) => p.name === parentName);
    const path = [index, "when", parentName];
    if (parentIndex < 0) {
      issues.push({ path, message: `unknown param "${parentName}"` });
    } else if (parentIndex >= index) {
      issues.push({ path, message: `"${parentName}" must be defined before "${spec.name}"` });
    } else {
      const parent = space[parentIndex];
      const values = Array.isArray(expected) ? expected : [expected];
      values.forEach((value, k) => {
        if (parent !== undefined && !isPossibleValue(parent, value)) {
          const at = Array.isArray(expected) ? [...path, k] : path;
          issues.push({
            path: at,
            message: `${JSON.stringify(value)} is not a possible value of "${parentName}"`,
          });
        }
      });
    }
  }
}

/** All cross-field problems of a structurally valid space, each with its JSON path. */
export function findSpaceIssues(space: readonly ParamSpec[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  space.forEach((spec, index) => {
    if (seen.has(spec.name))
      issues.push({ path: [index, "name"], message: `duplicate param name "${spec.name}"` });
    seen.add(spec.name);
    if (spec.type === "categorical") {
      const keys = new Set<string>();
      spec.choices.forEach((choice, k) => {
        const key = choiceKey(choice);
        if (keys.has(key)) issues.push({ path: [index, "choices", k], message: "duplicate choice" });
        keys.add(key);
      });
    } else {
      checkNumericSpec(spec, index, issues);
    }
    checkWhen(space, index, issues);
  });
  return issues;
}

export const spaceSchema = z
  .array(paramSpecSchema)
  .min(1)
  .superRefine((space, ctx) => {
    for (const issue of findSpaceIssues(space)) {
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  });
export type Space = ParamSpec[];
export type Direction = "minimize" | "maximize";
export const directionSchema = z.enum(["minimize", "maximize"]);
