import { spawn, type ChildProcess } from "node:child_process";

export interface ServiceChild {
  name: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/**
 * Starts one service from its TypeScript entry (tsx, "source" conditions) with its output handed to
 * `onLine` one line at a time, in its own process group: a terminal's Ctrl-C reaches only the supervisor,
 * which then stops each service once, in order.
 */
export function startServiceChild(options: {
  name: string;
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  args?: string[];
  onLine(name: string, line: string): void;
  onExit(name: string, code: number | null, signal: NodeJS.Signals | null): void;
}): ServiceChild {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", options.entry, ...(options.args ?? [])],
    { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") options.onLine(options.name, line);
    });
    stream.on("end", () => {
      if (pending.trim() !== "") options.onLine(options.name, pending);
      pending = "";
    });
  }
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      options.onExit(options.name, code, signal);
      resolve();
    });
  });
  return { name: options.name, process: child, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopServiceChild(service: ServiceChild, graceMs: number): Promise<void> {
  const child = service.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await service.exited;
  clearTimeout(timer);
}
