import { describe, expect, it } from "vitest";
import { coerceParam, newOutput } from "./trial-commands.js";

describe("coerceParam", () => {
  it("reads a value as the space declares it", () => {
    expect(coerceParam({ name: "lr", type: "float", low: 0, high: 1, log: false }, "lr", "0.01")).toBe(0.01);
    expect(coerceParam({ name: "b", type: "categorical", choices: [32, 64] }, "b", "64")).toBe(64);
    expect(coerceParam({ name: "o", type: "categorical", choices: ["sgd", "adam"] }, "o", "adam")).toBe(
      "adam",
    );
    expect(coerceParam({ name: "f", type: "categorical", choices: [true, false] }, "f", "false")).toBe(false);
  });

  it("refuses unknown names, non-numbers and values outside the choices (exit 3)", () => {
    expect(() => coerceParam(undefined, "nope", "1")).toThrow(/no parameter "nope"/);
    expect(() =>
      coerceParam({ name: "lr", type: "float", low: 0, high: 1, log: false }, "lr", "fast"),
    ).toThrow(/must be a number/);
    expect(() => coerceParam({ name: "o", type: "categorical", choices: ["sgd"] }, "o", "adam")).toThrow(
      /one of sgd/,
    );
  });
});

describe("newOutput", () => {
  it("prints only what was appended, also after the API cut the log's head", () => {
    expect(newOutput("abc", "abcdef")).toBe("def");
    const kept = Array.from({ length: 40 }, (_, i) => `epoch ${i}\n`).join("");
    expect(newOutput(`old head\n${kept}`, `${kept}epoch 40\n`)).toBe("epoch 40\n");
    expect(newOutput("", "all")).toBe("all");
  });
});
