/** The services' logger lives in @hpo/log (one format for every process); re-exported for this package's users. */
export { createLogger, type Logger, type LogLevel } from "@hpo/log";
