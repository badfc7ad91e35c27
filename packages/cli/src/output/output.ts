import Table from "cli-table3";
import { createColors } from "picocolors";

export type Colors = ReturnType<typeof createColors>;

/** Where a command writes: results on stdout (JSON with --json), hints and progress on stderr. */
export interface Output {
  readonly json: boolean;
  /** stdout is a terminal: live views redraw in place, tables get colors. */
  readonly interactive: boolean;
  readonly colors: Colors;
  /** Terminal width (80 when not a terminal). */
  readonly columns: number;
  line(text?: string): void;
  /** A note for people (stderr), never mixed into the results a script parses. */
  note(text: string): void;
  printJson(value: unknown): void;
  table(head: string[], rows: (string | number)[][]): void;
}

export interface OutputOptions {
  json: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

function colorsWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env["NO_COLOR"]) return false;
  if (env["FORCE_COLOR"] === "0") return false;
  if (env["FORCE_COLOR"]) return true;
  return stream.isTTY;
}

export function createOutput(options: OutputOptions): Output {
  const { stdout, stderr } = options;
  const colors = createColors(colorsWanted(stdout, options.env));
  // A terminal of unknown width (a pty nobody sized) cannot be redrawn in place: print lines instead.
  const columns = stdout.isTTY ? stdout.columns : 0;
  return {
    json: options.json,
    interactive: stdout.isTTY && columns > 0 && !options.json,
    colors,
    columns: columns > 0 ? columns : 80,
    line: (text = "") => void stdout.write(`${text}\n`),
    note: (text) => void stderr.write(`${text}\n`),
    printJson: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    table(head, rows) {
      const table = new Table({
        head: head.map((title) => colors.bold(title)),
        style: { head: [], border: [], compact: true },
        chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
      });
      table.push(...rows.map((row) => row.map(String)));
      stdout.write(`${table.toString()}\n`);
    },
  };
}
