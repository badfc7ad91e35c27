#!/usr/bin/env node
// The `hpo` command. It runs the TypeScript sources of the workspace through tsx with the "source" export
// condition, so a fresh clone needs no build step: `npm ci`, then `npx hpo ...`. The CLI runs as a child of
// this shim because export conditions can only be set when a Node process starts.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
const child = spawn(
  process.execPath,
  [
    "--import",
    tsx,
    "--conditions=source",
    "--no-warnings=ExperimentalWarning",
    entry,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
// The child shares the terminal, so Ctrl-C already reaches it; a signal sent to this process alone
// (kill, a supervisor) is passed on.
for (const signal of ["SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
process.on("SIGINT", () => undefined);
child.on("exit", (code, signal) => {
  process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
});
