import { studyReplySchema, type StudyReply } from "@hpo/contracts";
import { useEffect, useState } from "react";
import { Link } from "wouter";
import type { StreamStatus } from "../api/study-events.js";
import { ApiError } from "../api/api-client.js";
import { formatCount, formatNumber, formatTime } from "../format.js";
import { useSession } from "../session.js";
import { ProgressBar, StateBadge, Stat } from "../widgets.js";

const streamText: Record<StreamStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  closed: "Not following",
};

export function StreamIndicator({ status }: { status: StreamStatus }) {
  return (
    <span
      className={`stream stream-${status}`}
      data-testid="stream-status"
      data-status={status}
      title="Live updates from the study's event stream"
    >
      <span className="stream-dot" aria-hidden="true" />
      {streamText[status]}
    </span>
  );
}

/** The study's identity, its figures, and the actions a user key may take on it. */
export function StudyHeader({
  study,
  stream,
  onChanged,
  onAddTrial,
  onClone,
}: {
  study: StudyReply;
  stream: StreamStatus;
  onChanged: (study: StudyReply) => void;
  onAddTrial: () => void;
  onClone: () => void;
}) {
  const { client } = useSession();
  const [parallelism, setParallelism] = useState(String(study.definition.budget.parallelism));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () => setParallelism(String(study.definition.budget.parallelism)),
    [study.definition.budget.parallelism],
  );

  const patch = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await client.send("PATCH", `/v1/studies/${study.id}`, body, studyReplySchema));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  const stop = () => {
    if (window.confirm(`Stop ${study.name}? Running trials are told to stop; queued ones are cancelled.`)) {
      void patch({ action: "stop" });
    }
  };
  const { counts, definition } = study;
  const ended = study.state === "completed" || study.state === "stopped";
  const parallelismValue = Number(parallelism);
  const parallelismValid =
    Number.isInteger(parallelismValue) && parallelismValue >= 1 && parallelismValue <= 10_000;

  return (
    <section className="study-header card">
      <div className="study-title-row">
        <div>
          <div className="crumbs">
            <Link href="/" className="muted">
              Studies
            </Link>{" "}
            / <span>{study.name}</span>
          </div>
          <h1>
            {study.name} <StateBadge state={study.state} />
            <StreamIndicator status={stream} />
          </h1>
          <p className="muted">
            {definition.objectives.map((objective, index) => (
              <span key={objective.metric}>
                {index > 0 ? ", " : ""}
                {objective.direction} <b>{objective.metric}</b>
              </span>
            ))}
            {definition.constraints.length > 0
              ? ` subject to ${definition.constraints.map((c) => `${c.metric} ${c.op} ${c.value}`).join(", ")}`
              : ""}{" "}
            · sampler {definition.sampler.type} · pruner {definition.pruner.type} · trainer{" "}
            {definition.trainer.type} · created {formatTime(study.createdAt)}
            {study.stateReason ? ` · ${study.stateReason}` : ""}
          </p>
          {study.waitingForWorkers ? (
            <div className="flag bad" data-testid="waiting-for-workers">
              <b>Waiting for workers.</b> {study.waitingForWorkers}
            </div>
          ) : null}
          {study.bestNote ? <p className="muted">{study.bestNote}</p> : null}
          {definition.description ? <p className="description">{definition.description}</p> : null}
        </div>
        <div className="actions">
          {study.state === "running" ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void patch({ action: "pause" })}
            >
              Pause
            </button>
          ) : null}
          {study.state === "paused" ? (
            <button
              type="button"
              className="button primary"
              disabled={busy}
              onClick={() => void patch({ action: "resume" })}
            >
              Resume
            </button>
          ) : null}
          {!ended ? (
            <button type="button" className="button danger" disabled={busy} onClick={stop}>
              Stop
            </button>
          ) : null}
          <button type="button" className="button" disabled={ended} onClick={onAddTrial}>
            Add trial
          </button>
          <button type="button" className="button" onClick={onClone}>
            Clone
          </button>
        </div>
      </div>
      <div className="stats">
        <Stat
          label={`Best ${definition.objective.metric}`}
          value={<span data-testid="best-value">{formatNumber(study.best?.value)}</span>}
          sub={study.best ? `trial #${study.best.number}` : "no complete trial yet"}
        />
        <Stat
          label="Complete"
          value={<span data-testid="count-complete">{formatCount(counts.complete)}</span>}
        />
        <Stat label="Pruned" value={formatCount(counts.pruned)} />
        <Stat label="Failed" value={formatCount(counts.failed)} />
        <Stat
          label="Running"
          value={<span data-testid="count-running">{formatCount(counts.running)}</span>}
          sub={`${formatCount(counts.queued + counts.waiting)} queued`}
        />
        <div className="stat grow">
          <div className="stat-label">Progress</div>
          <ProgressBar fraction={study.progress.fraction} />
          <div className="stat-sub">
            {formatCount(study.progress.finished)} of {formatCount(study.progress.maxTrials)} trials
          </div>
        </div>
        <div className="stat">
          <div className="stat-label">Parallelism</div>
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (parallelismValid) void patch({ parallelism: parallelismValue });
            }}
          >
            <input
              className="input compact narrow"
              aria-label="Parallelism"
              name="parallelism"
              inputMode="numeric"
              value={parallelism}
              disabled={ended}
              onChange={(event) => setParallelism(event.target.value)}
            />
            <button
              type="submit"
              className="button compact"
              disabled={
                ended || busy || !parallelismValid || parallelismValue === definition.budget.parallelism
              }
            >
              Apply
            </button>
          </form>
        </div>
      </div>
      {error ? <div className="alert">{error}</div> : null}
    </section>
  );
}
