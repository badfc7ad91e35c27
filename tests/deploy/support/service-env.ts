import { existsSync, readFileSync } from "node:fs";
import { apiEnvSchema, parseApiEnv } from "../../../services/api/src/env.js";
import { parseSchedulerEnv, schedulerEnvSchema } from "../../../services/scheduler/src/env.js";
import { parseWorkerEnv, workerEnvSchema } from "../../../services/worker/src/env.js";
import { repoRoot } from "../../e2e/support/service-process.js";

export type ServiceKind = "api" | "scheduler" | "worker";

export interface ServiceEnv {
  /** Every variable the service reads (its env schema's keys). */
  keys: ReadonlySet<string>;
  /** The service's own parser: throws, naming each variable, on a value it would refuse at start. */
  parse: (env: Record<string, string>) => unknown;
}

/** The env schemas of services/*\/src/env.ts: deployment files are checked against these, not a copy. */
export const serviceEnvs: Record<ServiceKind, ServiceEnv> = {
  api: { keys: new Set(Object.keys(apiEnvSchema.shape)), parse: parseApiEnv },
  scheduler: { keys: new Set(Object.keys(schedulerEnvSchema.shape)), parse: parseSchedulerEnv },
  worker: { keys: new Set(Object.keys(workerEnvSchema.shape)), parse: parseWorkerEnv },
};

export interface DockerStage {
  name: string;
  from: string;
  /** CMD and ENTRYPOINT arguments, as written. */
  commands: string[][];
}

/** The Dockerfile's stages (`FROM image AS name`) with their CMD / ENTRYPOINT (exec form). */
export function readDockerStages(): Map<string, DockerStage> {
  const stages = new Map<string, DockerStage>();
  let current: DockerStage | null = null;
  for (const line of readFileSync(`${repoRoot}Dockerfile`, "utf8").split("\n")) {
    const from = /^FROM\s+(\S+)\s+AS\s+(\S+)/i.exec(line);
    if (from?.[1] && from[2]) {
      const base = stages.get(from[1]);
      current = { name: from[2], from: from[1], commands: base ? [...base.commands] : [] };
      stages.set(current.name, current);
      continue;
    }
    const command = /^(CMD|ENTRYPOINT)\s+(\[.*\])\s*$/.exec(line);
    if (command?.[2] && current) current.commands.push(JSON.parse(command[2]) as string[]);
  }
  return stages;
}

/**
 * The TypeScript sources behind the built files a command runs (`services/api/dist/main.js` →
 * `services/api/src/main.ts`), with whether each exists: a renamed entry point breaks the images.
 */
export function entryPointsOf(args: readonly string[]): { built: string; source: string; exists: boolean }[] {
  const found: { built: string; source: string; exists: boolean }[] = [];
  for (const arg of args) {
    for (const match of arg.matchAll(/(?:services|packages)\/[\w-]+\/dist\/[\w/.-]+\.js/g)) {
      const source = match[0].replace("/dist/", "/src/").replace(/\.js$/, ".ts");
      found.push({ built: match[0], source, exists: existsSync(`${repoRoot}${source}`) });
    }
  }
  return found;
}
