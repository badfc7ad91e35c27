import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AdmissionGate } from "./request-admission.js";

describe("AdmissionGate", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("admits up to maxInFlight at once and refuses a waiter once maxWaitMs passed", async () => {
    const gate = new AdmissionGate({ maxInFlight: 2, maxWaitMs: 1_000 });
    expect(await gate.acquire("normal")).toBe(true);
    expect(await gate.acquire("normal")).toBe(true);
    const third = gate.acquire("normal");
    await vi.advanceTimersByTimeAsync(999);
    let settled: boolean | null = null;
    void third.then((value) => (settled = value));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(await third).toBe(false);
    expect(gate.active).toBe(2);
  });

  it("hands a released slot to the next waiter, lease writes before the others", async () => {
    const gate = new AdmissionGate({ maxInFlight: 1, maxWaitMs: 10_000 });
    expect(await gate.acquire("normal")).toBe(true);
    const order: string[] = [];
    const normal = gate.acquire("normal").then((admitted) => order.push(`normal ${admitted}`));
    const lease = gate.acquire("lease").then((admitted) => order.push(`lease ${admitted}`));
    gate.release();
    await lease;
    expect(order).toEqual(["lease true"]);
    gate.release();
    await normal;
    expect(order).toEqual(["lease true", "normal true"]);
    expect(gate.active).toBe(1);
    gate.release();
    expect(gate.active).toBe(0);
  });

  it("does not hand a slot to a waiter that already gave up", async () => {
    const gate = new AdmissionGate({ maxInFlight: 1, maxWaitMs: 100 });
    expect(await gate.acquire("normal")).toBe(true);
    const late = gate.acquire("normal");
    await vi.advanceTimersByTimeAsync(100);
    expect(await late).toBe(false);
    gate.release();
    expect(gate.active).toBe(0);
    expect(await gate.acquire("normal")).toBe(true);
  });
});
