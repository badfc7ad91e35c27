import { describe, expect, it } from "vitest";
import { StudyCoalescer } from "./study-coalescer.js";

describe("StudyCoalescer", () => {
  it("runs one pass per study at a time and exactly one more for requests made during a pass", async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const coalescer = new StudyCoalescer(
      async (studyId) => {
        log.push(`start ${studyId}`);
        if (log.length === 1) await new Promise<void>((resolve) => (release = resolve));
        log.push(`end ${studyId}`);
      },
      () => undefined,
    );
    const first = coalescer.request("a");
    void coalescer.request("a");
    void coalescer.request("a");
    await coalescer.request("b");
    release();
    await first;
    await coalescer.idle();
    expect(log.filter((line) => line === "start a")).toHaveLength(2);
    expect(log).toContain("end b");
  });

  it("reports a failing pass and keeps serving the study", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const coalescer = new StudyCoalescer(
      () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error("boom")) : Promise.resolve();
      },
      (_studyId, error) => errors.push(error),
    );
    await coalescer.request("a");
    await coalescer.request("a");
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
