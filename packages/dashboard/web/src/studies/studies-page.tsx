import { pageOf, studyReplySchema, studyStates, type StudyReply } from "@hpo/contracts";
import { useEffect, useState } from "react";
import { Link } from "wouter";
import { formatCount, formatNumber, formatTime } from "../format.js";
import { useSession } from "../session.js";
import { ProgressBar, StateBadge } from "../widgets.js";

const studyPage = pageOf(studyReplySchema);
const pageSize = 50;

function trainerOf(study: StudyReply): string {
  const trainer = study.definition.trainer;
  if (trainer.type === "synthetic") return `synthetic · ${trainer.problem}`;
  if (trainer.type === "tfjs")
    return `tfjs · ${typeof trainer.dataset === "string" ? trainer.dataset : "csv"}`;
  return trainer.type;
}

function studiesQuery(state: string, name: string, after: string | null): string {
  const search = new URLSearchParams({ limit: String(pageSize) });
  if (state) search.set("state", state);
  if (name) search.set("name", name);
  if (after) search.set("cursor", after);
  return `/v1/studies?${search.toString()}`;
}

/** `/`: every study of the project, newest first, filtered by state and name on the server. */
export function StudiesPage() {
  const { client } = useSession();
  const [state, setState] = useState("");
  const [name, setName] = useState("");
  const [debouncedName, setDebouncedName] = useState("");
  const [studies, setStudies] = useState<StudyReply[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setDebouncedName(name.trim()), 250);
    return () => clearTimeout(timer);
  }, [name]);

  useEffect(() => {
    const controller = new AbortController();
    client
      .get(studiesQuery(state, debouncedName, null), studyPage, controller.signal)
      .then((page) => {
        setStudies(page.items);
        setCursor(page.nextCursor);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught instanceof Error ? caught.message : String(caught));
      });
    return () => controller.abort();
  }, [client, state, debouncedName]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await client.get(studiesQuery(state, debouncedName, cursor), studyPage);
      setStudies((previous) => [...(previous ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <main className="page" data-ready={studies !== null ? "true" : "false"}>
      <div className="page-header">
        <div>
          <h1>Studies</h1>
          <p className="muted">Every study of your project, newest first.</p>
        </div>
        <div className="filters">
          <input
            className="input"
            type="search"
            placeholder="Filter by name"
            aria-label="Filter by name"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <select
            className="input"
            aria-label="Filter by state"
            value={state}
            onChange={(event) => setState(event.target.value)}
          >
            <option value="">All states</option>
            {studyStates.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error ? <div className="alert">{error}</div> : null}
      <div className="card flush">
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>State</th>
              <th className="progress-col">Progress</th>
              <th className="num">Best value</th>
              <th>Sampler</th>
              <th>Trainer</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {studies === null ? (
              <tr>
                <td colSpan={7} className="empty">
                  Loading…
                </td>
              </tr>
            ) : studies.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  No study matches. Create one with <code>POST /v1/studies</code> (see the README).
                </td>
              </tr>
            ) : (
              studies.map((study) => (
                <tr key={study.id} className="study-row">
                  <td>
                    <Link href={`/studies/${study.id}`} className="strong-link">
                      {study.name}
                    </Link>
                    <div className="muted small">
                      {study.definition.objective.direction} {study.definition.objective.metric}
                    </div>
                  </td>
                  <td>
                    <StateBadge state={study.state} />
                  </td>
                  <td className="progress-col">
                    <ProgressBar fraction={study.progress.fraction} />
                    <div className="muted small">
                      {formatCount(study.progress.finished)} / {formatCount(study.progress.maxTrials)} trials
                      {study.counts.running > 0 ? ` · ${study.counts.running} running` : ""}
                    </div>
                  </td>
                  <td className="num">
                    {study.best ? (
                      <>
                        {formatNumber(study.best.value)}
                        <div className="muted small">trial #{study.best.number}</div>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{study.definition.sampler.type}</td>
                  <td>{trainerOf(study)}</td>
                  <td className="muted">{formatTime(study.createdAt)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {cursor ? (
        <div className="center">
          <button type="button" className="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more studies"}
          </button>
        </div>
      ) : null}
    </main>
  );
}
