import type { ChildProcess } from "node:child_process";

/**
 * Idle trial processes kept warm for the next trial of the same kind (trainer type, GPU pinning, backend).
 *
 * Forking and booting a Node process costs 100–300 ms of CPU on a small machine (far more under tsx), more
 * than a short trial; reusing a process that just ended a trial cleanly removes that cost while keeping the
 * isolation that matters: training still runs outside the worker, so a crash, an out-of-memory or a hung
 * trainer kills only its process, which is then never reused. A process is retired (killed, not pooled)
 * after any abort, kill, error or exit, after `maxTrialsPerProcess` trials (a slow leak cannot grow without
 * bound), and after `idleMs` without work. The idea is the pre-forked worker pool of web servers (Apache
 * prefork, gunicorn's max_requests), applied to trainer processes.
 */
export interface WarmChildPoolOptions {
  /** Idle processes kept per kind. */
  maxIdlePerKey: number;
  /** Trials one process may run before it is retired. */
  maxTrialsPerProcess: number;
  /** An idle process is killed after this long. */
  idleMs: number;
}

interface IdleChild {
  child: ChildProcess;
  trials: number;
  timer: NodeJS.Timeout;
}

export interface WarmChild {
  child: ChildProcess;
  /** Trials this process ran before the current one. */
  trials: number;
}

/** Lets an idle child not hold the worker's event loop open (and a busy one hold it again). */
export function setChildRef(child: ChildProcess, ref: boolean): void {
  const handles = [child, child.stdout, child.stderr, child.channel];
  for (const handle of handles) {
    if (handle && "ref" in handle && "unref" in handle) {
      if (ref) handle.ref();
      else handle.unref();
    }
  }
}

export class WarmChildPool {
  private readonly idle = new Map<string, IdleChild[]>();

  constructor(readonly options: WarmChildPoolOptions) {}

  /** A warm idle process of this kind, if one is alive. */
  take(key: string): WarmChild | null {
    const list = this.idle.get(key);
    while (list && list.length > 0) {
      const entry = list.pop();
      if (!entry) break;
      clearTimeout(entry.timer);
      if (isAlive(entry.child)) {
        setChildRef(entry.child, true);
        return { child: entry.child, trials: entry.trials };
      }
    }
    return null;
  }

  /**
   * Hands back a process that ended its trial cleanly; returns false (and kills it) when it is retired
   * instead: too many trials, no room, or already dead.
   */
  give(key: string, child: ChildProcess, trials: number): boolean {
    const list = this.idle.get(key) ?? [];
    if (
      !isAlive(child) ||
      trials >= this.options.maxTrialsPerProcess ||
      list.length >= this.options.maxIdlePerKey
    ) {
      retire(child);
      return false;
    }
    const entry: IdleChild = {
      child,
      trials,
      timer: setTimeout(() => {
        const current = this.idle.get(key);
        const index = current?.indexOf(entry) ?? -1;
        if (current && index >= 0) current.splice(index, 1);
        retire(child);
      }, this.options.idleMs),
    };
    entry.timer.unref();
    setChildRef(child, false);
    list.push(entry);
    this.idle.set(key, list);
    return true;
  }

  /** How many idle processes are kept (all kinds). */
  get size(): number {
    let total = 0;
    for (const list of this.idle.values()) total += list.length;
    return total;
  }

  /** Kills every idle process (worker shutdown, tests). */
  close(): void {
    for (const list of this.idle.values()) {
      for (const entry of list) {
        clearTimeout(entry.timer);
        retire(entry.child);
      }
    }
    this.idle.clear();
  }
}

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.connected;
}

function retire(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
