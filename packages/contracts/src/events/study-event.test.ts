import { describe, expect, it } from "vitest";
import { parseStudyEvent, serializeStudyEvent, studyEventsChannel } from "./study-event.js";

const at = new Date("2026-11-29T12:00:00.000Z");

describe("study events", () => {
  it("round-trips every event type through the channel format", () => {
    const events = [
      { type: "study.created", studyId: "s", state: "running" },
      { type: "study.updated", studyId: "s", state: "deleted" },
      { type: "study.updated", studyId: "s", state: "completed", reason: "max_trials" },
      { type: "trial.created", studyId: "s", trialId: "t", state: "waiting", number: 3 },
      { type: "trial.updated", studyId: "s", trialId: "t", state: "complete", number: 3, value: 0.5 },
      { type: "trial.updated", studyId: "s", trialId: "t", state: "failed", value: null },
      { type: "trial.reported", studyId: "s", trialId: "t", number: 3, step: 2, value: 1.5, prune: false },
    ] as const;
    for (const event of events) {
      expect(parseStudyEvent(serializeStudyEvent(event, at))).toEqual({ ...event, at: at.toISOString() });
    }
  });

  it("drops what is not an event of the contract", () => {
    expect(parseStudyEvent("not json")).toBeNull();
    expect(parseStudyEvent('{"type":1}')).toBeNull();
    // No time stamp: an old or foreign publisher.
    expect(parseStudyEvent('{"type":"study.updated","studyId":"s","state":"paused"}')).toBeNull();
    // An unknown type, and a known type with a state that does not exist.
    expect(parseStudyEvent(JSON.stringify({ type: "study.renamed", studyId: "s", at }))).toBeNull();
    expect(
      parseStudyEvent(
        JSON.stringify({ type: "trial.updated", studyId: "s", trialId: "t", state: "done", at }),
      ),
    ).toBeNull();
    expect(
      parseStudyEvent(JSON.stringify({ type: "trial.reported", studyId: "s", trialId: "t", number: 1, at })),
    ).toBeNull();
  });

  it("ignores extra fields from newer publishers", () => {
    const raw = JSON.stringify({ type: "study.created", studyId: "s", state: "running", at, extra: 1 });
    expect(parseStudyEvent(raw)).toEqual({
      type: "study.created",
      studyId: "s",
      state: "running",
      at: at.toISOString(),
    });
  });

  it("names the channel after the prefix", () => {
    expect(studyEventsChannel("hpo")).toBe("hpo:events");
  });
});
