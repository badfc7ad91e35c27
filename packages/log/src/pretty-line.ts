import pinoPretty from "pino-pretty";

/** Keys every record has, shown in the line's head (time, level, service) rather than as fields. */
const headKeys = new Set(["level", "time", "pid", "hostname", "name", "msg", "v"]);

function formatValue(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  // An error object shows its message here and its stack below the line.
  if (value instanceof Object && "message" in value && typeof value.message === "string") {
    return JSON.stringify(value.message);
  }
  return JSON.stringify(value) ?? typeof value;
}

/**
 * `message key=value key=value`: the record's own fields after its message, logfmt style, so one event is
 * one line that grep and eyes both read.
 */
export function formatMessageWithFields(
  log: Record<string, unknown>,
  messageKey: string,
  colors: { gray: (text: string) => string },
): string {
  const message = typeof log[messageKey] === "string" ? log[messageKey] : "";
  const fields: string[] = [];
  const stacks: string[] = [];
  for (const [key, value] of Object.entries(log)) {
    if (headKeys.has(key) || key === messageKey || value === undefined) continue;
    fields.push(`${colors.gray(`${key}=`)}${formatValue(value)}`);
    if (value instanceof Object && "stack" in value && typeof value.stack === "string")
      stacks.push(value.stack);
  }
  const line = fields.length === 0 ? message : `${message}  ${fields.join(" ")}`;
  // A stack trace is the one thing worth more than one line.
  return [line, ...stacks.map((stack) => colors.gray(stack.replace(/^/gm, "    ")))].join("\n");
}

/** The pino-pretty settings of the readable format: `[HH:MM:ss] LEVEL (service): message key=value…`. */
export function prettyOptions(colorize: boolean): pinoPretty.PrettyOptions {
  return {
    colorize,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname",
    hideObject: true,
    singleLine: true,
    messageFormat: (log, messageKey, _level, { colors }) => formatMessageWithFields(log, messageKey, colors),
  };
}
