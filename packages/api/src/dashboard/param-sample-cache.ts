import type { Direction } from "@hpo/contracts";
import type { Db } from "@hpo/db";
import { loadParamSample, type ParamSample } from "./param-sample.js";

interface Entry {
  complete: number;
  sample: Promise<ParamSample>;
}

/**
 * The param sample of the studies read most recently, shared by the summary and the heat map (a study
 * page asks for both at once). Complete trials never change once complete, so the number of them is the
 * sample's version: a new complete trial makes the next read load a fresh sample. An in-flight load is
 * shared, never started twice.
 */
export class ParamSampleCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 16) {}

  get(db: Db, studyId: string, direction: Direction, complete: number): Promise<ParamSample> {
    const known = this.entries.get(studyId);
    if (known && known.complete === complete) {
      // Most recently used last, so the oldest entry is the first to go.
      this.entries.delete(studyId);
      this.entries.set(studyId, known);
      return known.sample;
    }
    const sample = loadParamSample(db, studyId, direction, complete);
    this.entries.delete(studyId);
    this.entries.set(studyId, { complete, sample });
    sample.catch(() => {
      if (this.entries.get(studyId)?.sample === sample) this.entries.delete(studyId);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return sample;
  }
}
