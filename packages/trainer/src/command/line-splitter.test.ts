import { describe, expect, it } from "vitest";
import { createLineSplitter } from "./line-splitter.js";

describe("createLineSplitter", () => {
  it("joins chunks into lines, strips CR, and flushes the last partial line at the end", () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push("HPO_REP");
    splitter.push('ORT {"step": 1}\r\nsecond');
    expect(lines).toEqual(['HPO_REPORT {"step": 1}']);
    splitter.push(" line\nthird");
    splitter.end();
    expect(lines).toEqual(['HPO_REPORT {"step": 1}', "second line", "third"]);
  });

  it("flushes a line that never ends (a progress bar) instead of buffering it without bound", () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line), 10);
    splitter.push("\r 10%\r 20%\r 30%");
    expect(lines).toEqual(["\r 10%\r 20%\r 30%"]);
  });
});
