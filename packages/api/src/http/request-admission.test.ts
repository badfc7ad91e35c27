import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AdmissionGate, LEASE_STREAK_LIMIT } from "./request-admission.js";

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

  it("still hands a waiting normal request a slot while lease writes keep the queue full", async () => {
    const gate = new AdmissionGate({ maxInFlight: 1, maxWaitMs: 10_000 });
    expect(await gate.acquire("lease")).toBe(true);
    const order: string[] = [];
    const waiting: Promise<unknown>[] = [
      gate.acquire("normal").then(() => order.push("normal")),
      ...Array.from({ length: LEASE_STREAK_LIMIT + 2 }, (_, index) =>
        gate.acquire("lease").then(() => order.push(`lease ${index}`)),
      ),
    ];
    for (let handOff = 0; handOff < LEASE_STREAK_LIMIT + 3; handOff++) {
      gate.release();
      await vi.advanceTimersByTimeAsync(0);
    }
    await Promise.all(waiting);
    // The first LEASE_STREAK_LIMIT hand-offs go to lease writes, the next to the normal request.
    expect(order.indexOf("normal")).toBe(LEASE_STREAK_LIMIT);
    expect(order.filter((entry) => entry.startsWith("lease"))).toHaveLength(LEASE_STREAK_LIMIT + 2);
  });
});
