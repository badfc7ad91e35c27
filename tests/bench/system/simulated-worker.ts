/**
 * One lightweight simulated worker of the fleet bench (run-simulated-fleet.ts): the real worker's wire
 * behaviour without its trial process. Like packages/worker/src/worker-service.ts it registers (and
 * re-registers every `registerIntervalMs`), consumes its assigned BullMQ queue with one slot, claims each
 * job's trial through the API, heartbeats every `heartbeatIntervalMs` while the trial "runs" (a sleep of
 * a synthetic duration), reports one step and tells the value, all through the real worker API client
 * (@hpo/worker → @hpo/client, the worker key, the contracts' schemas and the same retries).
 */
import { Worker, type Job } from "bullmq";
import { benchmarkProblems } from "@hpo/core";
import { parseTrialJobData, type WorkerRegistrationReply } from "@hpo/contracts";
import { createWorkerApiClient, isConflict, type WorkerApiClient } from "@hpo/worker";
import type { FleetCall } from "./fleet-stage-summary.js";

/** What the fleet records while a stage is measured; everything outside a window is dropped. */
export class FleetRecorder {
  recording = false;
  latenciesMs: Record<FleetCall, number[]> = emptyLatencies();
  statuses: Record<number, number> = {};
  networkErrors = 0;
  completed = 0;
  claimConflicts = 0;
  failedJobs = 0;
  jobWaitMs: number[] = [];

  reset(): void {
    this.latenciesMs = emptyLatencies();
    this.statuses = {};
    this.networkErrors = 0;
    this.completed = 0;
    this.claimConflicts = 0;
    this.failedJobs = 0;
    this.jobWaitMs = [];
  }

  async timed<T>(call: FleetCall, send: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await send();
    } finally {
      if (this.recording) this.latenciesMs[call].push(performance.now() - started);
    }
  }

  count(field: "completed" | "claimConflicts" | "failedJobs" | "networkErrors"): void {
    if (this.recording) this[field]++;
  }

  status(code: number): void {
    if (this.recording) this.statuses[code] = (this.statuses[code] ?? 0) + 1;
  }

  jobWait(ms: number): void {
    if (this.recording) this.jobWaitMs.push(ms);
  }
}

function emptyLatencies(): Record<FleetCall, number[]> {
  return { claim: [], heartbeat: [], report: [], tell: [], register: [] };
}

/**
 * Counts every HTTP answer this process gets by status (each retry of the worker client too), which the
 * typed client does not expose: the bench process is the fleet, so wrapping its global fetch is enough.
 */
export function countHttpAnswers(recorder: FleetRecorder): void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    try {
      const response = await original(input, init);
      recorder.status(response.status);
      return response;
    } catch (error) {
      recorder.count("networkErrors");
      throw error;
    }
  };
}

export interface SimulatedWorkerOptions {
  id: string;
  apiUrl: string;
  workerKey: string;
  redisUrl: string;
  queuePrefix: string;
  heartbeatIntervalMs: number;
  registerIntervalMs: number;
  trialSeconds: { min: number; max: number };
  recorder: FleetRecorder;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SimulatedWorker {
  private readonly api: WorkerApiClient;
  private consumer: Worker | null = null;
  private registerTimer: NodeJS.Timeout | undefined;
  private idleSince = Date.now();
  private stopped = false;

  constructor(private readonly options: SimulatedWorkerOptions) {
    this.api = createWorkerApiClient({ baseUrl: options.apiUrl, token: options.workerKey });
  }

  private register() {
    return this.options.recorder.timed("register", () =>
      this.api.registerWorker({
        id: this.options.id,
        host: "fleet-sim",
        gpus: [],
        backend: "cpu",
        slots: 1,
        pool: "default",
      }),
    );
  }

  /** Whether it registered and consumes its queue. */
  joined = false;

  /**
   * Registers (retrying with a growing pause until accepted, as the real worker's registerUntilAccepted
   * does: an overloaded API answers 503 or times out), then consumes the queue the API assigned (a project
   * key gets exactly one). Resolves without joining if stopped first.
   */
  async start(): Promise<void> {
    let reply: WorkerRegistrationReply | undefined;
    for (let attempt = 0; !reply; attempt++) {
      if (this.stopped) return;
      try {
        reply = await this.register();
      } catch {
        await sleep(Math.min(5_000, 500 * 2 ** attempt));
      }
    }
    if (this.stopped) return;
    const queue = reply.queues[0];
    if (queue === undefined) throw new Error(`worker ${this.options.id} was assigned no queue`);
    // Real workers started at different moments: spread the re-registrations over the interval.
    const offset = Math.random() * this.options.registerIntervalMs;
    this.registerTimer = setTimeout(() => {
      this.registerTimer = setInterval(() => {
        this.register().catch(() => undefined);
      }, this.options.registerIntervalMs);
    }, offset);
    this.idleSince = Date.now();
    // The same consumer options as the real worker (worker-service.ts).
    this.consumer = new Worker(queue, (job) => this.runJob(job), {
      connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
      prefix: this.options.queuePrefix,
      concurrency: 1,
      maxStalledCount: 0,
    });
    this.consumer.on("error", () => this.options.recorder.count("networkErrors"));
    this.consumer.on("failed", () => this.options.recorder.count("failedJobs"));
    this.joined = true;
  }

  private async runJob(job: Job): Promise<string> {
    const recorder = this.options.recorder;
    recorder.jobWait(Date.now() - this.idleSince);
    try {
      const data = parseTrialJobData(job.data);
      if (!data) return "dropped";
      let claimed;
      try {
        claimed = await recorder.timed("claim", () =>
          this.api.claimTrial(data.trialId, { workerId: this.options.id }),
        );
      } catch (error) {
        if (!isConflict(error)) throw error;
        recorder.count("claimConflicts");
        return "dropped";
      }
      const lease = claimed.leaseToken;
      const value = benchmarkProblems.branin.evaluate(claimed.params);
      const { min, max } = this.options.trialSeconds;
      const durationMs = (min + Math.random() * (max - min)) * 1000;
      // One heartbeat at a time, every interval from the claim (execute-trial-job.ts).
      let beating = true;
      let timer: NodeJS.Timeout | undefined;
      const beat = () => {
        void recorder
          .timed("heartbeat", () => this.api.heartbeat(claimed.id, lease))
          .catch(() => undefined)
          .finally(() => {
            if (beating) timer = setTimeout(beat, this.options.heartbeatIntervalMs);
          });
      };
      timer = setTimeout(beat, this.options.heartbeatIntervalMs);
      await sleep(durationMs);
      beating = false;
      clearTimeout(timer);
      if (this.stopped) return "stopped";
      try {
        const metrics = { loss: value };
        await recorder.timed("report", () =>
          this.api.report(claimed.id, { leaseToken: lease, step: 0, value, metrics }),
        );
        await recorder.timed("tell", () =>
          this.api.tell(claimed.id, { leaseToken: lease, state: "complete", value, metrics }),
        );
        recorder.count("completed");
        return "complete";
      } catch (error) {
        if (isConflict(error)) return "lease-lost";
        throw error;
      }
    } finally {
      this.idleSince = Date.now();
    }
  }

  /** Stops at once: jobs in flight are abandoned (the bench ends; their trials are never told). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.registerTimer);
    clearInterval(this.registerTimer);
    await this.consumer?.close(true).catch(() => undefined);
  }
}
