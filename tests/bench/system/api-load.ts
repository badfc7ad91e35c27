import autocannon from "autocannon";

export interface RateResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/**
 * Requests at a fixed overall rate (autocannon's overallRate) for `seconds`; latency percentiles as
 * autocannon measures them (HDR histogram, per request).
 */
export async function runAtRate(options: {
  url: string;
  token: string;
  rate: number;
  seconds: number;
  connections: number;
  requests: autocannon.Request[];
}): Promise<RateResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.rate,
    headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
    requests: options.requests,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** The API's event-loop delay p99 (prom-client's gauge, reset at each scrape) in milliseconds. */
export async function scrapeEventLoopP99(url: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
  return match?.[1] ? Number(match[1]) * 1000 : null;
}

/**
 * Probes GET /healthz every `intervalMs` until stopped and keeps each round-trip time: what a heartbeat
 * or a report sees while the API is busy (a stalled event loop shows here as a long probe).
 */
export function startProbe(url: string, intervalMs: number): { stop(): Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await fetch(`${url}/healthz`);
        samples.push(performance.now() - started);
      } catch {
        // a refused probe is not a latency sample
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}
