/** What the API publishes on `<prefix>:events` for every study and trial change (CONTRACTS). */
export interface StudyEvent {
  type: "study.created" | "study.updated" | "trial.created" | "trial.updated" | "trial.reported";
  studyId: string;
  trialId?: string;
  state?: string;
  number?: number;
  step?: number;
  value?: number | null;
  prune?: boolean;
  at: string;
}

export function eventsChannel(prefix: string): string {
  return `${prefix}:events`;
}
