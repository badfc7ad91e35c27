import pinoPretty from "pino-pretty";
import type { LogFormat } from "./log-format.js";
import { prettyOptions } from "./pretty-line.js";

const levelOf: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * For a supervisor (`hpo up`) that runs services with LOG_FORMAT=json and shows their output as one
 * stream: each JSON record is rendered in the supervisor's own format; a line that is not a record (a
 * crash trace, a child's stray print) becomes a record of that service, so nothing is dropped or mixed.
 */
export function createLogLineRenderer(
  format: LogFormat,
  colors: boolean,
): (service: string, line: string) => string {
  const pretty = format === "pretty" ? pinoPretty.prettyFactory(prettyOptions(colors)) : null;
  return (service, line) => {
    let record: Record<string, unknown> | null = null;
    if (line.startsWith("{")) {
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed instanceof Object && !Array.isArray(parsed) && "level" in parsed) {
          record = Object.fromEntries(Object.entries(parsed));
          if (typeof record["name"] !== "string") record["name"] = service;
        }
      } catch {
        record = null;
      }
    }
    record ??= { level: levelOf["info"], time: Date.now(), name: service, msg: line };
    if (pretty) {
      const text = pretty(record);
      return text.endsWith("\n") ? text : `${text}\n`;
    }
    return `${JSON.stringify(record)}\n`;
  };
}
