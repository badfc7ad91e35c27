/**
 * The history log of a chaos scenario: every client operation, worker attempt and injected fault, with
 * its time. Checkers read it after the system settles (together with what Postgres holds).
 */
export type HistoryKind = "op" | "fault" | "late-write" | "note";

export interface HistoryEntry {
  at: number;
  kind: HistoryKind;
  what: string;
  /** The HTTP status of an operation, when it was one. */
  status?: number;
  trialId?: string;
  detail?: Record<string, unknown>;
}

export class History {
  readonly entries: HistoryEntry[] = [];

  record(entry: Omit<HistoryEntry, "at">): HistoryEntry {
    const full = { at: Date.now(), ...entry };
    this.entries.push(full);
    return full;
  }

  faults(): HistoryEntry[] {
    return this.entries.filter((entry) => entry.kind === "fault");
  }

  count(kind: HistoryKind): number {
    return this.entries.filter((entry) => entry.kind === kind).length;
  }
}
