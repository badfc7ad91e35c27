import type { Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { initialFormValues, paramsFromForm } from "./space-form.js";

const space: Space = [
  { name: "lr", type: "float", low: 1e-4, high: 1, log: true },
  { name: "layers", type: "int", low: 1, high: 5 },
  { name: "optimizer", type: "categorical", choices: ["sgd", "momentum"] },
  { name: "momentum", type: "float", low: 0, high: 0.99, when: { optimizer: "momentum" } },
  { name: "batch", type: "categorical", choices: [32, 64] },
];

describe("the manual trial form", () => {
  it("prefills the middle of each range (geometric for log params) and the first choice", () => {
    expect(initialFormValues(space, null)).toEqual({
      lr: "0.01",
      layers: "3",
      optimizer: "sgd",
      momentum: "0.495",
      batch: "32",
    });
  });

  it("turns the text into typed params and leaves inactive conditional params out", () => {
    const text = { lr: "0.003", layers: "2", optimizer: "sgd", momentum: "0.9", batch: "64" };
    expect(paramsFromForm(space, text)).toEqual({
      params: { lr: 0.003, layers: 2, optimizer: "sgd", batch: 64 },
      errors: {},
    });
    expect(paramsFromForm(space, { ...text, optimizer: "momentum" }).params["momentum"]).toBe(0.9);
  });

  it("names each field that is out of range, not a whole number or not a choice", () => {
    const { errors } = paramsFromForm(space, { lr: "2", layers: "2.5", optimizer: "adam", batch: "64" });
    expect(errors).toEqual({
      lr: "Between 0.0001 and 1",
      layers: "Enter a whole number",
      optimizer: "Pick one of the choices",
    });
  });
});
