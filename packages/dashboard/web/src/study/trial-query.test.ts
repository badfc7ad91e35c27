import { describe, expect, it } from "vitest";
import { hasFilters, noFilters, trialQuery } from "./trial-query.js";

describe("trialQuery", () => {
  it("writes no key for an unfiltered list in number order", () => {
    expect(trialQuery(noFilters, "number").toString()).toBe("");
    expect(hasFilters(noFilters)).toBe(false);
  });

  it("writes states, value bounds, param choices, ranges and the sort as the API reads them", () => {
    const query = trialQuery(
      {
        states: ["complete", "pruned"],
        valueMin: " 0.1 ",
        valueMax: "",
        fields: [
          { kind: "choice", param: "optimizer", value: "adam" },
          { kind: "choice", param: "optimizer", value: "sgd" },
          { kind: "range", field: "param", name: "lr", min: "0.001", max: "" },
          { kind: "range", field: "metric", name: "val_accuracy", min: "", max: "0.9" },
        ],
      },
      "-metric.val_accuracy",
    );
    expect(Object.fromEntries(query)).toEqual({
      state: "complete,pruned",
      valueMin: "0.1",
      "param.optimizer": "adam,sgd",
      "paramMin.lr": "0.001",
      "metricMax.val_accuracy": "0.9",
      sort: "-metric.val_accuracy",
    });
  });
});
