import {
  pageOf,
  studyReplySchema,
  studySummaryReplySchema,
  trialReplySchema,
  type StudyEvent,
  type StudyReply,
  type StudySummaryReply,
  type TrialReply,
} from "@hpo/contracts";
import { useEffect, useRef, useState } from "react";
import type { ApiClient } from "../api/api-client.js";
import { followStudyEvents, type StreamStatus } from "../api/study-events.js";
import { applyFinishedTrials, applyReport } from "./live-model.js";
import type { LiveTrials } from "./panels/trial-table.js";

const trialPage = pageOf(trialReplySchema);
/** Events are applied in batches: one render and a few small requests per batch, however fast trials end. */
const flushDelayMs = 400;
/** Aggregates (distributions, heat map, importance) are refreshed at most this often while results arrive. */
const aggregateRefreshMs = 20_000;
/** A batch touching trial numbers further apart than this refetches the summary instead. */
const maxRangeFetch = 500;
const maxSingleFetches = 10;

export interface LiveStudyState {
  stream: StreamStatus;
  live: LiveTrials;
  /** Bumped when aggregate views should fetch again. */
  aggregateKey: number;
}

/**
 * Follows the study's event stream and keeps the page's data current without reloading it: intermediate
 * values extend their curves straight from the events; finished trials are fetched (one small request per
 * batch) and join history, best-so-far, sample and table; counts come from the study itself.
 */
export function useLiveStudy(
  client: ApiClient,
  studyId: string,
  setStudy: (study: StudyReply) => void,
  setSummary: (update: (summary: StudySummaryReply) => StudySummaryReply) => void,
): LiveStudyState {
  const [stream, setStream] = useState<StreamStatus>("connecting");
  const [live, setLive] = useState<LiveTrials>({ version: 0, trials: [] });
  const [aggregateKey, setAggregateKey] = useState(0);
  const callbacks = useRef({ setStudy, setSummary });
  callbacks.current = { setStudy, setSummary };

  useEffect(() => {
    let buffer: StudyEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastAggregate = Date.now();
    let aggregatePending = false;
    let stopped = false;

    const fetchTrials = async (events: StudyEvent[]): Promise<TrialReply[] | "resync"> => {
      const numbers = new Set<number>();
      const unnumbered = new Set<string>();
      for (const event of events) {
        if (event.type !== "trial.created" && event.type !== "trial.updated") continue;
        if (event.number === undefined) unnumbered.add(event.trialId);
        else numbers.add(event.number);
      }
      const fetched: TrialReply[] = [];
      if (numbers.size > 0) {
        const low = Math.min(...numbers);
        const high = Math.max(...numbers);
        if (high - low >= maxRangeFetch) return "resync";
        const page = await client.get(
          `/v1/studies/${studyId}/trials?numberMin=${low}&numberMax=${high}&limit=${maxRangeFetch}&include=reports`,
          trialPage,
        );
        fetched.push(...page.items.filter((trial) => numbers.has(trial.number)));
      }
      const singles = [...unnumbered].slice(0, maxSingleFetches);
      const more = await Promise.all(
        singles.map((id) => client.get(`/v1/trials/${id}`, trialReplySchema).catch(() => null)),
      );
      for (const trial of more) if (trial && !numbers.has(trial.number)) fetched.push(trial);
      return fetched;
    };

    const refreshAggregates = async () => {
      aggregatePending = false;
      lastAggregate = Date.now();
      const summary = await client.get(`/v1/studies/${studyId}/summary`, studySummaryReplySchema);
      if (stopped) return;
      callbacks.current.setSummary(() => summary);
      setAggregateKey((value) => value + 1);
    };

    const flush = async () => {
      timer = null;
      const events = buffer;
      buffer = [];
      if (stopped || events.length === 0) return;
      const reports = events.flatMap((event) => (event.type === "trial.reported" ? [event] : []));
      if (reports.length > 0) {
        callbacks.current.setSummary((summary) =>
          reports.reduce((next, report) => applyReport(next, report), summary),
        );
      }
      const changesStudy = events.some((event) => event.type !== "trial.reported");
      if (!changesStudy) return;
      try {
        const [study, trials] = await Promise.all([
          client.get(`/v1/studies/${studyId}`, studyReplySchema),
          fetchTrials(events),
        ]);
        if (stopped) return;
        callbacks.current.setStudy(study);
        if (trials === "resync") {
          const summary = await client.get(`/v1/studies/${studyId}/summary`, studySummaryReplySchema);
          callbacks.current.setSummary(() => summary);
        } else if (trials.length > 0) {
          callbacks.current.setSummary((summary) => applyFinishedTrials(summary, trials));
          setLive((previous) => ({ version: previous.version + 1, trials }));
        }
        const finishedSome = events.some(
          (event) =>
            event.type === "trial.updated" && (event.state === "complete" || event.state === "pruned"),
        );
        if (finishedSome) aggregatePending = true;
        if (aggregatePending && Date.now() - lastAggregate >= aggregateRefreshMs) await refreshAggregates();
      } catch {
        // The next batch (or the next reconnect) brings the page up to date again.
      }
    };

    const subscription = followStudyEvents(
      client,
      studyId,
      (event) => {
        buffer.push(event);
        timer ??= setTimeout(() => void flush(), flushDelayMs);
      },
      setStream,
    );
    // The aggregates also catch up once a study goes quiet (its last results arrived within the interval).
    const catchUp = setInterval(() => {
      if (aggregatePending && !stopped && Date.now() - lastAggregate >= aggregateRefreshMs) {
        refreshAggregates().catch(() => undefined);
      }
    }, aggregateRefreshMs / 4);
    return () => {
      stopped = true;
      subscription.close();
      clearInterval(catchUp);
      if (timer) clearTimeout(timer);
    };
  }, [client, studyId]);

  return { stream, live, aggregateKey };
}
