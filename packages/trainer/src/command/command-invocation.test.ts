import { describe, expect, it } from "vitest";
import { buildCommandInvocation, paramEnvName, substitutePlaceholders } from "./command-invocation.js";

describe("command invocation", () => {
  it("names env vars HPO_PARAM_<NAME>", () => {
    expect(paramEnvName("learning_rate")).toBe("HPO_PARAM_LEARNING_RATE");
    expect(paramEnvName("net.width-1")).toBe("HPO_PARAM_NET_WIDTH_1");
  });

  it("substitutes known {name} placeholders and leaves other braces alone", () => {
    expect(
      substitutePlaceholders(["--lr={learning_rate}", "{opt}", '{"a": 1}', "{missing}", "{flag}"], {
        learning_rate: 0.001,
        opt: "adam",
        flag: false,
      }),
    ).toEqual(["--lr=0.001", "adam", '{"a": 1}', "{missing}", "false"]);
  });

  it("builds argv and env: params, ids, params file, spec env, GPU pinning", () => {
    const invocation = buildCommandInvocation(
      { command: ["python3", "train.py", "--trial", "{trial_number}"], env: { A: "1" } },
      {
        trialId: "t1",
        studyId: "s1",
        number: 4,
        seed: 9,
        params: { learning_rate: 0.1, optimizer: "adam" },
        objectiveMetric: "val_loss",
        gpuIds: ["2", "3"],
      },
      "/tmp/params.json",
      { PATH: "/usr/bin" },
    );
    expect(invocation.file).toBe("python3");
    expect(invocation.args).toEqual(["train.py", "--trial", "4"]);
    expect(invocation.env).toMatchObject({
      PATH: "/usr/bin",
      A: "1",
      HPO_PARAM_LEARNING_RATE: "0.1",
      HPO_PARAM_OPTIMIZER: "adam",
      HPO_PARAMS_FILE: "/tmp/params.json",
      HPO_TRIAL_ID: "t1",
      HPO_STUDY_ID: "s1",
      HPO_TRIAL_NUMBER: "4",
      HPO_SEED: "9",
      CUDA_VISIBLE_DEVICES: "2,3",
    });
  });

  it("rejects an empty command", () => {
    expect(() =>
      buildCommandInvocation(
        { command: [] },
        { trialId: "t", studyId: "s", number: 0, seed: 0, params: {}, objectiveMetric: "x", gpuIds: [] },
        "/tmp/p.json",
      ),
    ).toThrow("trainer.command: must name a program to run");
  });
});
