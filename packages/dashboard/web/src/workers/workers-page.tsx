import { pageOf, runningTrialsReplySchema, workerReplySchema } from "@hpo/contracts";
import { useEffect, useState } from "react";
import { Link } from "wouter";
import { formatAge, formatTime } from "../format.js";
import { useApi } from "../use-api.js";

const workerPage = pageOf(workerReplySchema);

/** `/workers`: the project's workers, what each is running and how recently it was heard from. */
export function WorkersPage() {
  const loaded = useApi(
    async (client, signal) => {
      const [workers, running] = await Promise.all([
        client.get("/v1/workers", workerPage, signal),
        client.get("/v1/running-trials", runningTrialsReplySchema, signal),
      ]);
      return { workers: workers.items, running: running.items };
    },
    "workers",
    5_000,
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const data = loaded.data;
  return (
    <main className="page" data-ready={data ? "true" : "false"}>
      <div className="page-header">
        <div>
          <h1>Workers</h1>
          <p className="muted">Machines that run trials for your project; refreshed every 5 seconds.</p>
        </div>
      </div>
      {loaded.error ? <div className="alert">{loaded.error.message}</div> : null}
      <div className="card flush">
        <table className="table">
          <thead>
            <tr>
              <th>Worker</th>
              <th>Host</th>
              <th>GPUs</th>
              <th>Backend</th>
              <th className="num">Slots</th>
              <th>Running trials</th>
              <th>Last heartbeat</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {!data ? (
              <tr>
                <td colSpan={8} className="empty">
                  Loading…
                </td>
              </tr>
            ) : data.workers.length === 0 ? (
              <tr>
                <td colSpan={8} className="empty">
                  No worker has registered. Start one with <code>npm run worker</code>.
                </td>
              </tr>
            ) : (
              data.workers.map((worker) => {
                const trials = data.running.filter((trial) => trial.workerId === worker.id);
                return (
                  <tr key={worker.id} data-worker={worker.id}>
                    <td>
                      <span className={worker.alive ? "dot alive" : "dot gone"} aria-hidden="true" />
                      <b>{worker.id}</b>
                      <div className="muted small">
                        {worker.alive ? "alive" : "not heard from"}
                        {worker.version ? ` · v${worker.version}` : ""}
                      </div>
                    </td>
                    <td>{worker.host}</td>
                    <td>
                      {worker.gpus.length > 0 ? (
                        worker.gpus.join(", ")
                      ) : (
                        <span className="muted">none (CPU)</span>
                      )}
                    </td>
                    <td>{worker.backend}</td>
                    <td className="num">
                      {worker.runningTrials} / {worker.slots}
                    </td>
                    <td>
                      {trials.length === 0 ? (
                        <span className="muted">idle</span>
                      ) : (
                        trials.map((trial) => (
                          <div key={trial.trialId}>
                            <Link href={`/studies/${trial.studyId}/trials/${trial.number}`}>
                              {trial.studyName} #{trial.number}
                            </Link>
                            {trial.gpu ? <span className="muted small"> · GPU {trial.gpu}</span> : null}
                          </div>
                        ))
                      )}
                    </td>
                    <td className={worker.alive ? "" : "bad"}>{formatAge(worker.lastSeen, now)}</td>
                    <td className="muted">{formatTime(worker.startedAt)}</td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </main>
  );
}
