import { chmod, chown, mkdir, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HpoError } from "@hpo/core";

/**
 * `--isolate-projects MIN-MAX`: each project's trial processes run as their own uid and gid, MIN + the
 * project's number - 1 (projects are numbered densely by the API, Project.number), the same on every
 * machine, so a project's files on shared storage keep their owner wherever its trials run. Its private
 * temporary directory and its checkpoint directories belong to that uid with mode 0700: another project's
 * trial (another uid) can neither list nor read them. Needs root, or CAP_SETUID, CAP_SETGID and CAP_CHOWN.
 */
export interface ProjectIsolation {
  uidMin: number;
  uidMax: number;
}

export interface TrialIdentity {
  uid: number;
  gid: number;
}

/** The uid and gid a project's trials run as; an error when the project has no uid in the range. */
export function trialIdentity(isolation: ProjectIsolation, projectNumber: number | undefined): TrialIdentity {
  if (projectNumber === undefined) {
    throw new HpoError("isolation_unavailable", "the API named no project number: cannot isolate this trial");
  }
  const uid = isolation.uidMin + projectNumber - 1;
  if (uid > isolation.uidMax) {
    throw new HpoError(
      "isolation_unavailable",
      `project number ${projectNumber} has no uid in --isolate-projects ${isolation.uidMin}-${isolation.uidMax}: widen the range`,
    );
  }
  return { uid, gid: uid };
}

const CAP_CHOWN = 0n;
const CAP_SETGID = 6n;
const CAP_SETUID = 7n;

/** Whether this process may run children as other users: root, or the capabilities that allow it. */
export async function canSwitchUsers(): Promise<boolean> {
  if (process.getuid?.() === 0) return true;
  try {
    const status = await readFile("/proc/self/status", "utf8");
    const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (hex === undefined) return false;
    const caps = BigInt(`0x${hex}`);
    return [CAP_CHOWN, CAP_SETGID, CAP_SETUID].every((bit) => ((caps >> bit) & 1n) === 1n);
  } catch {
    return false;
  }
}

/** Makes `dir` (already created) the identity's own, readable by nobody else. */
export async function ownPrivately(dir: string, identity: TrialIdentity): Promise<void> {
  await chmod(dir, 0o700);
  await chown(dir, identity.uid, identity.gid);
}

/** A fresh temporary directory for one trial, owned by its identity (its TMPDIR and HOME). */
export async function privateTempDir(identity: TrialIdentity): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "hpo-trial-"));
  await ownPrivately(dir, identity);
  return dir;
}

/**
 * Lets the trial uids pass through the checkpoint root to their own study directories, without listing it
 * (mode 0711); creates it when missing.
 */
export async function prepareCheckpointRoot(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  await chmod(root, 0o711);
}
