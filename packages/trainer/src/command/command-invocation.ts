import type { Params, ParamValue } from "@hpo/contracts";
import type { CommandTrainerSpec, TrainerContext } from "../trainer-types.js";

/** `learning_rate` → `HPO_PARAM_LEARNING_RATE` (anything outside [A-Za-z0-9_] becomes `_`). */
export function paramEnvName(name: string): string {
  return `HPO_PARAM_${name.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`;
}

function formatValue(value: ParamValue): string {
  return typeof value === "number"
    ? String(value)
    : typeof value === "boolean"
      ? value
        ? "true"
        : "false"
      : value;
}

/**
 * Replaces `{name}` in each argument by the trial's value of param `name` (also `{trial_id}`, `{study_id}`,
 * `{trial_number}`, `{seed}`). Braces naming anything else are left as they are, so JSON arguments survive.
 */
export function substitutePlaceholders(
  args: readonly string[],
  values: Readonly<Record<string, ParamValue>>,
): string[] {
  return args.map((arg) =>
    arg.replace(/\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g, (whole, name: string) =>
      Object.hasOwn(values, name) ? formatValue(values[name] ?? "") : whole,
    ),
  );
}

export interface CommandInvocation {
  file: string;
  args: string[];
  env: Record<string, string>;
}

/** Builds argv and environment for one trial of a command trainer. */
export function buildCommandInvocation(
  spec: Pick<CommandTrainerSpec, "command" | "env">,
  ctx: Pick<
    TrainerContext,
    "trialId" | "studyId" | "number" | "seed" | "params" | "objectiveMetric" | "gpuIds"
  >,
  paramsFile: string,
  baseEnv: NodeJS.ProcessEnv = process.env,
): CommandInvocation {
  const [file, ...rest] = spec.command;
  if (file === undefined || file === "") throw new Error("trainer.command: must name a program to run");
  const builtins: Params = {
    trial_id: ctx.trialId,
    study_id: ctx.studyId,
    trial_number: ctx.number,
    seed: ctx.seed,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) if (value !== undefined) env[key] = value;
  Object.assign(env, spec.env ?? {});
  for (const [name, value] of Object.entries(ctx.params)) env[paramEnvName(name)] = formatValue(value);
  Object.assign(env, {
    HPO_PARAMS_FILE: paramsFile,
    HPO_TRIAL_ID: ctx.trialId,
    HPO_STUDY_ID: ctx.studyId,
    HPO_TRIAL_NUMBER: String(ctx.number),
    HPO_SEED: String(ctx.seed),
    HPO_OBJECTIVE_METRIC: ctx.objectiveMetric,
    // Unbuffered Python output, so reports arrive while the program runs rather than at exit.
    PYTHONUNBUFFERED: "1",
  });
  if (ctx.gpuIds.length > 0) {
    env.CUDA_VISIBLE_DEVICES = ctx.gpuIds.join(",");
    env.HPO_GPU_IDS = ctx.gpuIds.join(",");
  }
  return { file, args: substitutePlaceholders(rest, { ...builtins, ...ctx.params }), env };
}
