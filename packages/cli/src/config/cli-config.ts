import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";
import { CliError, exitCodes } from "../exit-codes.js";

/** One API and the key to use with it. */
export const profileSchema = z.strictObject({ apiUrl: z.url(), token: z.string().min(1) });
export type Profile = z.infer<typeof profileSchema>;

/** ~/.config/hpo/config.json: named profiles and the one in use (written by `hpo login` and `hpo up`). */
export const cliConfigSchema = z.strictObject({
  profile: z.string().min(1).optional(),
  profiles: z.record(z.string().min(1), profileSchema).default({}),
});
export type CliConfig = z.infer<typeof cliConfigSchema>;

/** HPO_CONFIG, else $XDG_CONFIG_HOME/hpo/config.json, else ~/.config/hpo/config.json. */
export function configPath(env: NodeJS.ProcessEnv): string {
  const explicit = env["HPO_CONFIG"];
  if (explicit) return explicit;
  const base = env["XDG_CONFIG_HOME"] || join(homedir(), ".config");
  return join(base, "hpo", "config.json");
}

export function readCliConfig(path: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { profiles: {} };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not JSON: ${(error as Error).message}`, exitCodes.usage);
  }
  const parsed = cliConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new CliError(`${path} is not a valid hpo config:\n  ${problems.join("\n  ")}`, exitCodes.usage);
  }
  return parsed.data;
}

/** Writes the file readable by its owner only (it holds keys), atomically. */
export function writeCliConfig(path: string, config: CliConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** Saves a profile; it becomes the one in use when `use` is true or none is set yet. */
export function saveProfile(path: string, name: string, profile: Profile, use: boolean): CliConfig {
  const config = readCliConfig(path);
  const next: CliConfig = {
    ...config,
    profiles: { ...config.profiles, [name]: profile },
    ...(use || config.profile === undefined ? { profile: name } : {}),
  };
  writeCliConfig(path, next);
  return next;
}
