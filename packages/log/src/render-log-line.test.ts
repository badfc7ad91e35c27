import { describe, expect, it } from "vitest";
import { resolveLogFormat, useColors } from "./log-format.js";
import { createLogLineRenderer } from "./render-log-line.js";

const record = JSON.stringify({
  level: 30,
  time: Date.UTC(2026, 0, 2, 3, 4, 5),
  pid: 12,
  hostname: "box",
  name: "worker",
  msg: "trial finished",
  study: "branin",
  number: 3,
  state: "complete",
  value: 0.398,
  error: "timed out after 5 s",
});

describe("createLogLineRenderer", () => {
  it("renders a JSON record as one readable line: time, level, service, message, key=value fields", () => {
    const line = createLogLineRenderer("pretty", false)("worker", record);
    expect(line).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO \(worker\): trial finished {2}study=branin number=3 state=complete value=0\.398 error="timed out after 5 s"\n$/,
    );
    expect(line).not.toContain("hostname");
    expect(line).not.toContain("\u001b[");
  });

  it("prints an error's stack below its line", () => {
    const failed = JSON.stringify({
      level: 50,
      time: 1,
      name: "api",
      msg: "request failed",
      err: { type: "Error", message: "boom", stack: "Error: boom\n    at main (main.ts:3)" },
    });
    const lines = createLogLineRenderer("pretty", false)("api", failed).split("\n");
    expect(lines[0]).toMatch(/ERROR \(api\): request failed {2}err="boom"$/);
    expect(lines[1]).toBe("    Error: boom");
    expect(lines[2]).toBe("        at main (main.ts:3)");
  });

  it("colors only when asked", () => {
    expect(createLogLineRenderer("pretty", true)("worker", record)).toContain("\u001b[");
  });

  it("passes JSON records through in the JSON format, naming the service when the record does not", () => {
    const render = createLogLineRenderer("json", false);
    expect(JSON.parse(render("worker", record))).toEqual(JSON.parse(record));
    const unnamed = JSON.parse(render("api", JSON.stringify({ level: 40, time: 1, msg: "slow" }))) as unknown;
    expect(unnamed).toEqual({ level: 40, time: 1, msg: "slow", name: "api" });
  });

  it("turns a line that is not a record (a crash trace) into a record of its service, in either format", () => {
    expect(createLogLineRenderer("pretty", false)("api", "    at main (main.ts:3)")).toMatch(
      /INFO \(api\): {5}at main \(main\.ts:3\)\n$/,
    );
    const json = JSON.parse(createLogLineRenderer("json", false)("api", "{not json")) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({ level: 30, name: "api", msg: "{not json" });
  });
});

describe("log format settings", () => {
  it("auto is pretty on a terminal and JSON elsewhere; explicit settings win", () => {
    expect(resolveLogFormat("auto", { isTTY: true })).toBe("pretty");
    expect(resolveLogFormat("auto", {})).toBe("json");
    expect(resolveLogFormat("json", { isTTY: true })).toBe("json");
    expect(resolveLogFormat("pretty", {})).toBe("pretty");
  });

  it("colors on a terminal unless NO_COLOR, or FORCE_COLOR says otherwise", () => {
    expect(useColors({ isTTY: true }, {})).toBe(true);
    expect(useColors({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColors({ isTTY: true }, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColors({}, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColors({}, {})).toBe(false);
  });
});
