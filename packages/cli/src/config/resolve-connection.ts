import { CliError, exitCodes } from "../exit-codes.js";
import { configPath, readCliConfig } from "./cli-config.js";

export const defaultApiUrl = "http://127.0.0.1:3000";

export interface ConnectionFlags {
  apiUrl?: string;
  token?: string;
  profile?: string;
}

export interface Connection {
  apiUrl: string;
  token: string;
  /** Where each value came from, for `hpo login --show` and error messages. */
  source: { apiUrl: string; token: string };
}

/**
 * Flags win over HPO_API_URL / HPO_TOKEN, which win over the profile (--profile, HPO_PROFILE, or the
 * config file's current one). The API URL defaults to the local stack's.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Connection {
  const path = configPath(env);
  const config = readCliConfig(path);
  const profileName = flags.profile ?? env["HPO_PROFILE"] ?? config.profile;
  const profile = profileName === undefined ? undefined : config.profiles[profileName];
  if (profileName !== undefined && profile === undefined && (flags.profile ?? env["HPO_PROFILE"])) {
    throw new CliError(
      `no profile named "${profileName}" in ${path} (hpo login --profile ${profileName})`,
      exitCodes.usage,
    );
  }
  const fromProfile = `profile "${profileName ?? ""}" in ${path}`;
  const pick = (flag: string | undefined, variable: string, saved: string | undefined) => {
    if (flag) return { value: flag, source: "flag" };
    const fromEnv = env[variable];
    if (fromEnv) return { value: fromEnv, source: variable };
    if (saved) return { value: saved, source: fromProfile };
    return null;
  };
  const apiUrl = pick(flags.apiUrl, "HPO_API_URL", profile?.apiUrl) ?? {
    value: defaultApiUrl,
    source: "default",
  };
  const token = pick(flags.token, "HPO_TOKEN", profile?.token);
  if (!token) {
    throw new CliError(
      "no API key: pass --token, set HPO_TOKEN, or run `hpo login` (`npm start` prints a key and saves it as profile local)",
      exitCodes.auth,
    );
  }
  return {
    apiUrl: apiUrl.value.replace(/\/+$/, ""),
    token: token.value,
    source: { apiUrl: apiUrl.source, token: token.source },
  };
}
