import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { freePort, waitFor } from "../../e2e/support/service-process.js";

const run = promisify(execFile);

/**
 * A redis-server of the scenario's own on a fixed port, that can be killed (-9) and started again on the
 * same port: the shared Redis on 6379 is never flushed or stopped.
 */
export class ChaosRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<ChaosRedis> {
    const redis = new ChaosRedis(await freePort());
    await redis.restart();
    return redis;
  }

  async restart(): Promise<void> {
    this.child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    await waitFor(
      "the scenario's redis-server",
      async () => (await this.cli("PING")).trim() === "PONG",
      10_000,
      50,
    );
  }

  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run("redis-cli", ["-p", String(this.port), ...args]);
    return stdout;
  }

  /** Ends the server with `signal` and waits for it to be gone. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  }
}
