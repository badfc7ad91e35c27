/** Levels every hpo process understands (pino's, LOG_LEVEL). */
export const logLevels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/** `pretty`: one readable line per event; `json`: one JSON object per line (for log collectors). */
export const logFormats = ["auto", "pretty", "json"] as const;
export type LogFormatSetting = (typeof logFormats)[number];
export type LogFormat = Exclude<LogFormatSetting, "auto">;

/** `auto` (LOG_FORMAT's default) is pretty on a terminal and JSON lines anywhere else (files, pipes, collectors). */
export function resolveLogFormat(setting: LogFormatSetting, output: { isTTY?: boolean }): LogFormat {
  if (setting !== "auto") return setting;
  return output.isTTY === true ? "pretty" : "json";
}

/** Colors only when the readable format goes to a terminal that has not opted out (NO_COLOR, FORCE_COLOR=0). */
export function useColors(output: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  if (env["FORCE_COLOR"] === "0") return false;
  if (env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "") return true;
  return output.isTTY === true;
}
