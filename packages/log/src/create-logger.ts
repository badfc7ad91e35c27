import { pino, type Logger as PinoLogger } from "pino";
import pinoPretty from "pino-pretty";
import { resolveLogFormat, useColors, type LogFormatSetting, type LogLevel } from "./log-format.js";
import { prettyOptions } from "./pretty-line.js";

/** The logger the scheduler, the worker and the packages they use are given: message first, then fields. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** LOG_FORMAT; `auto` picks by whether stdout is a terminal. */
  format?: LogFormatSetting;
}

/**
 * A pino logger for one service, writing to stdout synchronously (no line is lost on process.exit):
 * JSON lines, or the readable format (colored on a terminal) through pino-pretty. The API hands it to
 * fastify as its `loggerInstance`, so every process writes the same format.
 */
export function createPinoLogger(service: string, options: LoggerOptions = {}): PinoLogger {
  const format = resolveLogFormat(options.format ?? "auto", process.stdout);
  const base = { name: service, level: options.level ?? "info" };
  if (format === "json") return pino(base, pino.destination({ dest: 1, sync: true }));
  const pretty = pinoPretty({ ...prettyOptions(useColors(process.stdout, process.env)), sync: true });
  return pino(base, pretty);
}

/** `createLogger("worker", "info")`: the message-first Logger over createPinoLogger. */
export function createLogger(
  service: string,
  level: LogLevel = "info",
  format: LogFormatSetting = "auto",
): Logger {
  return wrapPino(createPinoLogger(service, { level, format }));
}

export function wrapPino(logger: PinoLogger): Logger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}
