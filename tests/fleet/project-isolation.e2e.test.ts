import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, RestClient } from "../e2e/support/e2e-stack.js";

const UID_MIN = 20_000;

/** A command trainer: node running `program` (CommonJS) with `args`. */
function commandStudy(name: string, program: string, args: string[] = []) {
  return {
    name,
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: 0, high: 1 }],
    budget: { maxTrials: 1, parallelism: 1, maxRetries: 0 },
    trainer: { type: "command", command: ["node", "-e", program, ...args], timeoutSeconds: 60 },
  };
}

/** Project B's trainer: saves a secret in its checkpoint directory. */
const WRITE_SECRET = `
const fs = require("fs"), path = require("path");
fs.writeFileSync(path.join(process.env.HPO_CHECKPOINT_DIR, "secret.txt"), "project B's secret");
console.log("HPO_RESULT " + JSON.stringify({ loss: 0, uid: process.getuid() }));
`;

/** Project A's trainer: tries to read and list project B's files, and checks its own TMPDIR is private. */
const PRY = `
const fs = require("fs"), os = require("os");
const attempt = (what, work) => { try { work(); return 1; } catch (e) { console.log(what + " refused: " + e.code); return 0; } };
const read_ok = attempt("read", () => fs.readFileSync(process.argv[1], "utf8"));
const list_ok = attempt("list", () => fs.readdirSync(process.argv[2]));
const tmp = fs.statSync(os.tmpdir());
const tmp_private = tmp.uid === process.getuid() && (tmp.mode & 0o777) === 0o700 ? 1 : 0;
fs.writeFileSync(require("path").join(process.env.HPO_CHECKPOINT_DIR, "mine.txt"), "A");
console.log("HPO_RESULT " + JSON.stringify({ loss: 0, uid: process.getuid(), read_ok, list_ok, tmp_private }));
`;

/**
 * Per-project file isolation on a shared fleet worker started with --isolate-projects (run as root, as
 * the tests here are): each project's trials run as their own uid; project A's trial cannot read or list
 * project B's checkpoint directory.
 */
/**
 * A trial running as another uid loads the trainer from this checkout, so every directory above it must be
 * searchable by other users (a checkout under `mktemp -d`, mode 0700, is not): the worker's install must be
 * readable by the trial uids, as docs/fleets.md says.
 */
function checkoutSearchableByOthers(): boolean {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

describe.skipIf(process.getuid?.() !== 0 || !checkoutSearchableByOthers())(
  "fleet: --isolate-projects keeps projects' files apart",
  () => {
    let stack: E2eStack;
    let userB: RestClient;
    const checkpointRoot = mkdtempSync(join(tmpdir(), "hpo-ckpt-isolated-"));
    beforeAll(async () => {
      stack = await E2eStack.start({ label: "isolate", workers: [] });
      const admin = new RestClient(stack.apiUrl, stack.adminToken);
      const projectB = await admin.ok<{ id: string }>("POST", "/v1/projects", { name: `b-${stack.prefix}` });
      const userKey = await admin.ok<{ key: string }>("POST", `/v1/projects/${projectB.id}/keys`, {
        role: "user",
      });
      userB = new RestClient(stack.apiUrl, userKey.key);
      await admin.ok("PUT", "/v1/fleets/default", { allProjects: true });
      const fleetKey = await admin.ok<{ key: string }>("POST", "/v1/fleets/default/keys");
      stack.startWorker({
        id: "shared",
        concurrency: 1,
        env: { HPO_TOKEN: fleetKey.key, HPO_CHECKPOINT_ROOT: checkpointRoot },
        args: ["--isolate-projects", `${UID_MIN}-${UID_MIN + 999}`],
      });
      await stack.waitForWorkers(["shared"]);
    }, 120_000);
    afterAll(async () => {
      await stack.dispose();
    }, 60_000);

    it("runs each project's trials as its own uid; A's trial cannot read B's checkpoint file", async () => {
      await stack.explain(async () => {
        const studyB = (
          await userB.ok<{ id: string }>("POST", "/v1/studies", commandStudy("b", WRITE_SECRET))
        ).id;
        await stack.waitForStudyState(studyB, ["completed"], 60_000);
        const [trialB] = await stack.trials(studyB);
        expect(trialB?.state).toBe("complete");
        const dirB = join(checkpointRoot, studyB, trialB?.id ?? "");
        const secret = join(dirB, "secret.txt");
        const uidB = (trialB?.metrics as Record<string, number> | null)?.["uid"];
        expect(uidB).toBeGreaterThanOrEqual(UID_MIN);
        expect(statSync(secret).uid).toBe(uidB);
        for (const dir of [join(checkpointRoot, studyB), dirB]) {
          expect(statSync(dir).uid).toBe(uidB);
          expect(statSync(dir).mode & 0o777).toBe(0o700);
        }

        const studyA = await stack.createStudy(commandStudy("a", PRY, [secret, dirB]));
        await stack.waitForStudyState(studyA, ["completed"], 60_000);
        const [trialA] = await stack.trials(studyA);
        expect(trialA?.state).toBe("complete");
        const metricsA = (trialA?.metrics ?? {}) as Record<string, number>;
        expect(metricsA).toMatchObject({ read_ok: 0, list_ok: 0, tmp_private: 1 });
        expect(metricsA["uid"]).toBeGreaterThanOrEqual(UID_MIN);
        expect(metricsA["uid"]).not.toBe(uidB);
        expect(trialA?.log ?? "").toContain("read refused: EACCES");
        // A's own checkpoint file belongs to A's uid; the trials' private temp directories are gone.
        const mine = join(checkpointRoot, studyA, trialA?.id ?? "", "mine.txt");
        expect(statSync(mine).uid).toBe(metricsA["uid"]);
        expect(statSync(checkpointRoot).mode & 0o777).toBe(0o711);
        const leftover = readdirSync(tmpdir())
          .filter((name) => name.startsWith("hpo-trial-"))
          .filter((name) => {
            try {
              return [uidB, metricsA["uid"]].includes(statSync(join(tmpdir(), name)).uid);
            } catch {
              return false; // another test's directory, gone meanwhile
            }
          });
        expect(leftover).toEqual([]);
      });
    }, 150_000);
  },
);
