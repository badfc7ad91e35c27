/**
 * The command-trainer protocol: a training program reports by printing single lines on stdout
 *   HPO_REPORT {"step": 3, "val_loss": 0.21, "val_accuracy": 0.93}
 *   HPO_RESULT {"val_loss": 0.19, "val_accuracy": 0.94}
 * Numeric fields are metrics (`step` is the report's step, not a metric); a string `device` field (e.g.
 * "cuda:0") says where it trained and is recorded as the trial's backend. Other fields are ignored.
 */
export type ProtocolLine =
  | { kind: "report"; step: number | undefined; metrics: Record<string, number>; device: string | undefined }
  | { kind: "result"; metrics: Record<string, number>; device: string | undefined }
  | { kind: "invalid"; reason: string };

const PATTERN = /^\s*HPO_(REPORT|RESULT)\s+(.*)$/;

/** Parses one output line; `undefined` for ordinary output (which goes to the trial log). */
export function parseProtocolLine(line: string): ProtocolLine | undefined {
  const match = PATTERN.exec(line);
  if (!match) return undefined;
  const kind = match[1] === "REPORT" ? "report" : "result";
  let payload: unknown;
  try {
    payload = JSON.parse(match[2] ?? "");
  } catch {
    return { kind: "invalid", reason: `HPO_${match[1]} line is not valid JSON: ${line.slice(0, 200)}` };
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return {
      kind: "invalid",
      reason: `HPO_${match[1]} payload must be a JSON object: ${line.slice(0, 200)}`,
    };
  }
  const metrics: Record<string, number> = {};
  let step: number | undefined;
  let device: string | undefined;
  for (const [key, value] of Object.entries(payload)) {
    if (key === "device" && typeof value === "string") device = value;
    else if (key === "step" && kind === "report" && typeof value === "number" && Number.isFinite(value))
      step = value;
    else if (typeof value === "number") metrics[key] = value;
  }
  return kind === "report" ? { kind, step, metrics, device } : { kind, metrics, device };
}
