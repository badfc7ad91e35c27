import { describe, expect, it } from "vitest";
import { decideTell } from "./execute-trial-job.js";

const exited = { kind: "exited" as const, code: null, signal: "SIGKILL", stderrTail: "" };

describe("decideTell", () => {
  it("passes a trainer's outcome through", () => {
    expect(
      decideTell(
        { kind: "outcome", outcome: { state: "complete", metrics: { loss: 1 }, value: 1, backend: "cpu" } },
        null,
        {},
      ),
    ).toEqual({ kind: "tell", body: { state: "complete", metrics: { loss: 1 }, value: 1, backend: "cpu" } });
  });

  it("writes nothing once the lease is lost, and hands the trial back on shutdown", () => {
    expect(decideTell(exited, "lease-lost", {})).toEqual({ kind: "none" });
    expect(decideTell(exited, "released", {})).toEqual({ kind: "release" });
  });

  it("tells pruned with the last metrics when a pruned trainer had to be killed", () => {
    expect(decideTell(exited, "pruned", { loss: 3 })).toEqual({
      kind: "tell",
      body: { state: "pruned", metrics: { loss: 3 } },
    });
  });

  it("fails a crashed, timed-out or stopped trial with a readable reason", () => {
    const crash = decideTell(
      { kind: "exited", code: 134, signal: null, stderrTail: "FATAL ERROR: heap out of memory" },
      null,
      {},
    );
    expect(crash.kind === "tell" && crash.body.error).toMatch(/exited with code 134 \(out of memory\)/);
    const timeout = decideTell(exited, "timeout", {}, 90_000);
    expect(timeout.kind === "tell" && timeout.body.error).toBe("timed out after 90 s");
    const stopped = decideTell(exited, "stopped", {});
    expect(stopped.kind === "tell" && stopped.body).toMatchObject({
      state: "failed",
      error: "stopped: the study was stopped",
    });
    const thrown = decideTell({ kind: "error", message: "Error: bad param" }, null, {});
    expect(thrown).toEqual({
      kind: "tell",
      body: { state: "failed", metrics: {}, error: "Error: bad param" },
    });
  });

  it("fails a 'complete' outcome that carries no value at all", () => {
    const empty = decideTell(
      { kind: "outcome", outcome: { state: "complete", metrics: {}, backend: "cpu" } },
      null,
      {},
    );
    expect(empty.kind === "tell" && empty.body).toMatchObject({
      state: "failed",
      error: "trainer reported no value",
    });
  });
});
