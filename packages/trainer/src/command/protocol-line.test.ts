import { describe, expect, it } from "vitest";
import { parseProtocolLine } from "./protocol-line.js";

describe("parseProtocolLine", () => {
  it("reads HPO_REPORT with a step and numeric metrics; strings other than device are ignored", () => {
    expect(
      parseProtocolLine('HPO_REPORT {"step": 3, "val_loss": 0.21, "tag": "x", "device": "cuda:0"}'),
    ).toEqual({
      kind: "report",
      step: 3,
      metrics: { val_loss: 0.21 },
      device: "cuda:0",
    });
  });

  it("reads HPO_RESULT, where step is an ordinary metric", () => {
    expect(parseProtocolLine('  HPO_RESULT {"val_loss": 0.19, "step": 9}')).toEqual({
      kind: "result",
      metrics: { val_loss: 0.19, step: 9 },
      device: undefined,
    });
  });

  it("ordinary output is not protocol; malformed payloads are reported as invalid", () => {
    expect(parseProtocolLine("epoch 3 loss 0.2")).toBeUndefined();
    expect(parseProtocolLine("my HPO_REPORT {}")).toBeUndefined();
    expect(parseProtocolLine("HPO_REPORT {oops")).toMatchObject({ kind: "invalid" });
    expect(parseProtocolLine("HPO_RESULT [1, 2]")).toMatchObject({ kind: "invalid" });
  });
});
