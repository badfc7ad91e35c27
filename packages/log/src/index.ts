export {
  logFormats,
  logLevels,
  resolveLogFormat,
  useColors,
  type LogFormat,
  type LogFormatSetting,
  type LogLevel,
} from "./log-format.js";
export {
  createLogger,
  createPinoLogger,
  wrapPino,
  type Logger,
  type LoggerOptions,
} from "./create-logger.js";
export { createLogLineRenderer } from "./render-log-line.js";
export { formatMessageWithFields, prettyOptions } from "./pretty-line.js";
