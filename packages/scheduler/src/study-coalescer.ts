/**
 * Runs at most one pass per study at a time inside this process; a request that arrives during a pass
 * schedules exactly one more pass after it (so a trial that finished mid-pass is never missed, and a
 * burst of events costs one extra pass, not one per event). Across processes the advisory lock in the
 * trial-store serializes.
 */
export class StudyCoalescer {
  private readonly inFlight = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(
    private readonly pass: (studyId: string) => Promise<void>,
    private readonly onError: (studyId: string, error: unknown) => void,
  ) {}

  request(studyId: string): Promise<void> {
    const current = this.inFlight.get(studyId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          try {
            await this.pass(studyId);
          } catch (error) {
            this.onError(studyId, error);
          }
        } while (entry.again);
      } finally {
        this.inFlight.delete(studyId);
      }
    })();
    this.inFlight.set(studyId, entry);
    return entry.done;
  }

  /** Resolves when every pass in flight has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()].map((entry) => entry.done));
  }
}
