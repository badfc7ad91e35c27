import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canSwitchUsers, ownPrivately, prepareCheckpointRoot, trialIdentity } from "./project-isolation.js";

describe("trialIdentity", () => {
  const range = { uidMin: 20_000, uidMax: 20_002 };
  it.each([
    [1, 20_000],
    [2, 20_001],
    [3, 20_002],
  ])("gives project number %i the uid and gid %i", (number, uid) => {
    expect(trialIdentity(range, number)).toEqual({ uid, gid: uid });
  });

  it("refuses a project past the range, or one the API did not number", () => {
    expect(() => trialIdentity(range, 4)).toThrow(
      /project number 4 has no uid in --isolate-projects 20000-20002/,
    );
    expect(() => trialIdentity(range, undefined)).toThrow(/no project number/);
  });
});

describe.skipIf(process.getuid?.() !== 0)("as root", () => {
  it("can switch users, hands a directory to a uid privately, and opens the checkpoint root for passing", async () => {
    expect(await canSwitchUsers()).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "hpo-own-"));
    await ownPrivately(dir, { uid: 20_005, gid: 20_005 });
    expect(statSync(dir)).toMatchObject({ uid: 20_005, gid: 20_005 });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const root = join(dir, "root");
    await prepareCheckpointRoot(root);
    expect(statSync(root).mode & 0o777).toBe(0o711);
  });
});
