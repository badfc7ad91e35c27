import autocannon from "autocannon";
import { benchmarkProblems } from "@hpo/core";
import { percentile } from "./figures.js";

interface AskedTrial {
  id: string;
  leaseToken: string;
  params: Record<string, number>;
}

/** What one connection (one client) carries from its ask to its report and tell. */
interface ClientState {
  study: string;
  trial: AskedTrial | null;
  askedAt: number;
}

export interface AskTellResult {
  trialsPerSecond: number;
  cycleP50Ms: number | null;
  cycleP99Ms: number | null;
  refused: number;
  errors: number;
}

/**
 * `clients` concurrent connections, each looping ask → report → tell on one of `studyIds` (autocannon's
 * request sequence with per-connection context), for `seconds`. A trial counts when its tell answers 200.
 */
export async function runAskTellLoad(options: {
  url: string;
  token: string;
  studyIds: string[];
  clients: number;
  seconds: number;
}): Promise<AskTellResult> {
  const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" };
  const cycles: number[] = [];
  let told = 0;
  let refused = 0;
  let nextStudy = 0;
  const branin = benchmarkProblems.branin;
  // autocannon gives each connection a context object; keep typed per-client state beside it.
  const states = new WeakMap<object, ClientState>();
  const stateOf = (context: object): ClientState => {
    let state = states.get(context);
    if (!state) {
      state = {
        study: options.studyIds[nextStudy++ % options.studyIds.length] ?? "",
        trial: null,
        askedAt: 0,
      };
      states.set(context, state);
    }
    return state;
  };
  const idle = (request: autocannon.Request): autocannon.Request => ({
    ...request,
    method: "GET",
    path: "/healthz",
    body: "",
  });
  const started = Date.now();
  const result = await autocannon({
    url: options.url,
    connections: options.clients,
    duration: options.seconds,
    // A loaded machine can take seconds per request; count those as slow, not as failures.
    timeout: 30,
    headers,
    requests: [
      {
        method: "POST",
        setupRequest: (request, context) => {
          const state = stateOf(context);
          state.askedAt = Date.now();
          state.trial = null;
          return { ...request, path: `/v1/studies/${state.study}/ask`, body: "{}" };
        },
        onResponse: (status, body, context) => {
          if (status === 200) stateOf(context).trial = JSON.parse(body) as AskedTrial;
          else refused++;
        },
      },
      {
        method: "POST",
        setupRequest: (request, context) => {
          const trial = stateOf(context).trial;
          if (!trial) return idle(request);
          const value = branin.evaluate(trial.params);
          const body = JSON.stringify({ leaseToken: trial.leaseToken, step: 0, value });
          return { ...request, path: `/v1/trials/${trial.id}/report`, body };
        },
      },
      {
        method: "POST",
        setupRequest: (request, context) => {
          const trial = stateOf(context).trial;
          if (!trial) return idle(request);
          const value = branin.evaluate(trial.params);
          const body = JSON.stringify({ leaseToken: trial.leaseToken, state: "complete", value });
          return { ...request, path: `/v1/trials/${trial.id}/tell`, body };
        },
        onResponse: (status, _body, context) => {
          const state = stateOf(context);
          if (status === 200 && state.trial) {
            told++;
            cycles.push(Date.now() - state.askedAt);
          }
        },
      },
    ],
  });
  const seconds = Math.max(result.duration, (Date.now() - started) / 1000);
  return {
    trialsPerSecond: told / seconds,
    cycleP50Ms: percentile(cycles, 50),
    cycleP99Ms: percentile(cycles, 99),
    refused,
    errors: result.errors + result.non2xx - refused,
  };
}
