import { fileURLToPath } from "node:url";
import { HpoError } from "@hpo/core";
import { historyFreeSamplers, sampleInline, type SampleCall, type SampleFunction } from "@hpo/db";
import { computeImportance, type ImportanceInput, type ImportanceResult, type SampleResult } from "@hpo/core";
import { Piscina } from "piscina";

export interface SamplerPoolOptions {
  /** Worker threads for sampler calls; 0 runs them on the event loop (the old behaviour). */
  threads: number;
  /** Calls allowed to wait for a thread; past it, asks get 503 with Retry-After. */
  maxQueue: number;
}

export interface SamplerPool {
  sample: SampleFunction;
  /** Parameter importance of a study's history, on a thread (or inline without threads). */
  importance(input: ImportanceInput): Promise<ImportanceResult>;
  /** Calls waiting for a thread now. */
  readonly queued: number;
  close(): Promise<void>;
}

/** Seconds a refused ask is told to wait: about one GP fit per queued call, rounded up. */
export const samplerBusyRetryAfterSeconds = 1;

/** The sampler is saturated: a 503 the ask route answers with Retry-After. */
export function samplerBusyError(): HpoError {
  return new HpoError("unavailable", "The sampler is saturated; retry after the Retry-After delay", {
    status: 503,
    retryable: true,
  });
}

/** Flags about how modules load, which a thread needs to load its entry as this process does. */
const moduleFlags = new Set([
  "--import",
  "--require",
  "-r",
  "--loader",
  "--experimental-loader",
  "--conditions",
  "-C",
]);

/**
 * This process's flags that a worker thread accepts: the module-loading ones. The others (V8's
 * `--max-old-space-size`, `--trace-gc`, ...) are per process, and `new Worker` throws on them, so passing
 * `process.execArgv` whole kept the API from starting under `node --max-old-space-size=...`.
 */
export function threadExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const arg = execArgv[index] ?? "";
    const [name = ""] = arg.split("=", 1);
    if (!moduleFlags.has(name)) continue;
    kept.push(arg);
    const value = execArgv[index + 1];
    if (!arg.includes("=") && value !== undefined) {
      kept.push(value);
      index++;
    }
  }
  return kept;
}

/** The thread entry next to this file: `.ts` from sources (needs tsx in the thread), `.js` once built. */
function threadEntry(): { filename: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith(".ts");
  const filename = fileURLToPath(new URL(`./sampler-thread.${fromSources ? "ts" : "js"}`, import.meta.url));
  const inherited = threadExecArgv(process.execArgv);
  // A process started with `--import tsx` passes it on to its threads; add it only where it is missing.
  if (!fromSources || inherited.some((arg) => arg.includes("tsx"))) {
    return { filename, execArgv: inherited };
  }
  let tsx = "tsx";
  try {
    tsx = import.meta.resolve("tsx");
  } catch {
    // resolve "tsx" from the working directory
  }
  return { filename, execArgv: [...inherited, "--import", tsx, "--conditions=source"] };
}

/**
 * Sampler calls of `POST /v1/studies/:id/ask` off the API's event loop. A GP ask fits a model for about
 * 100 ms; on the event loop that stalls every other request (heartbeats, reports, SSE, other projects).
 * Here model-based samplers run on a bounded pool of worker threads (piscina) with a bounded queue: when
 * the queue is full the ask fails fast with 503 and Retry-After instead of piling up latency, which is
 * the back-pressure a client (or a load balancer) can act on. Random and Sobol draws cost microseconds
 * and read no history, so they stay on the event loop (a thread hop would cost more than the draw).
 */
export function createSamplerPool(options: SamplerPoolOptions): SamplerPool {
  if (options.threads <= 0) {
    return {
      sample: sampleInline,
      importance: (input) => Promise.resolve(computeImportance(input)),
      queued: 0,
      close: () => Promise.resolve(),
    };
  }
  const entry = threadEntry();
  const piscina = new Piscina<SampleCall | ImportanceInput, SampleResult | ImportanceResult>({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: options.threads,
    maxThreads: options.threads,
    maxQueue: options.maxQueue,
    idleTimeout: 60_000,
  });
  return {
    sample(call) {
      if (historyFreeSamplers.has(call.sampler.type)) return sampleInline(call);
      if (piscina.queueSize >= options.maxQueue) return Promise.reject(samplerBusyError());
      return piscina.run(call) as Promise<SampleResult>;
    },
    importance(input) {
      if (piscina.queueSize >= options.maxQueue) return Promise.reject(samplerBusyError());
      return piscina.run(input, { name: "importance" }) as Promise<ImportanceResult>;
    },
    get queued() {
      return piscina.queueSize;
    },
    close: () => piscina.destroy(),
  };
}
