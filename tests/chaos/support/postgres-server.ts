import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort, waitFor } from "../../e2e/support/service-process.js";

const run = promisify(execFile);

/** Where the PostgreSQL 15 server binaries are (Debian's layout); HPO_CHAOS_PG_BIN overrides it. */
const binDir = process.env["HPO_CHAOS_PG_BIN"] ?? "/usr/lib/postgresql/15/bin";

/**
 * A PostgreSQL cluster of the scenario's own (initdb in a temp dir, on a free port) that can be stopped
 * in immediate mode (a crash: no checkpoint, recovery from WAL on the next start) and started again on the
 * same port: the machine's shared PostgreSQL on 5432 is never restarted. initdb refuses to run as root,
 * so under root every server command runs as the `postgres` OS user.
 */
export class ChaosPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** The server's URL with no database (`createTestDatabase({ serverUrl })` appends one). */
  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}`;
  }

  private get dataDir(): string {
    return join(this.dir, "data");
  }

  static async start(): Promise<ChaosPostgres> {
    if (!existsSync(join(binDir, "initdb"))) throw new Error(`no PostgreSQL server binaries in ${binDir}`);
    const dir = mkdtempSync(join(tmpdir(), "hpo-chaos-pg-"));
    const server = new ChaosPostgres(await freePort(), dir);
    if (process.getuid?.() === 0) chownSync(dir, ...server.postgresIds());
    await server.asServerUser("initdb", [
      "-D",
      server.dataDir,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--no-sync",
    ]);
    await server.restart();
    return server;
  }

  /** Starts the (stopped) server and waits until it answers queries. */
  async restart(): Promise<void> {
    await this.asServerUser("pg_ctl", [
      "-D",
      this.dataDir,
      "-l",
      join(this.dir, "server.log"),
      "-w",
      "-t",
      "60",
      // fsync off: a crash here is of the server process, never of the machine, so WAL replay is whole.
      "-o",
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "start",
    ]);
    await waitFor("the scenario's PostgreSQL", () => this.query("SELECT 1").then(() => true), 30_000, 100);
  }

  /**
   * `pg_ctl stop -m immediate`: every server process quits at once without a checkpoint, as in a crash,
   * and every client connection breaks.
   */
  async crash(): Promise<void> {
    await this.asServerUser("pg_ctl", ["-D", this.dataDir, "-m", "immediate", "-w", "stop"]);
  }

  /** Runs one statement on the `postgres` database over a connection of its own. */
  async query<Row extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<Row[]> {
    const client = new pg.Client({ connectionString: `${this.url}/postgres` });
    await client.connect();
    try {
      return (await client.query<Row>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Stops the server (fast mode) and removes its directory. */
  async dispose(): Promise<void> {
    try {
      await this.asServerUser("pg_ctl", ["-D", this.dataDir, "-m", "fast", "-w", "stop"]);
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private postgresIds(): [number, number] {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    return [id("-u"), id("-g")];
  }

  private async asServerUser(command: string, args: string[]): Promise<void> {
    const binary = join(binDir, command);
    if (process.getuid?.() === 0) await run("runuser", ["-u", "postgres", "--", binary, ...args]);
    else await run(binary, args);
  }
}
