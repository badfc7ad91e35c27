import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs-core";
import type { BackendPreference } from "../trainer-types.js";

/** A tfjs backend as the trainer names it (and records it on trials and workers). */
export type TfjsBackendLabel = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

interface BackendCandidate {
  label: TfjsBackendLabel;
  preference: Exclude<BackendPreference, "auto">;
  /** npm package that registers the backend when imported. */
  packageName: string;
  /** The name the package registers with the tfjs engine. */
  engineName: string;
}

/** Fastest first: native TensorFlow with CUDA, native TensorFlow on CPU, WebAssembly, plain JavaScript. */
export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [
  {
    label: "tensorflow-gpu",
    preference: "gpu",
    packageName: "@tensorflow/tfjs-node-gpu",
    engineName: "tensorflow",
  },
  { label: "tensorflow", preference: "node", packageName: "@tensorflow/tfjs-node", engineName: "tensorflow" },
  { label: "wasm", preference: "wasm", packageName: "@tensorflow/tfjs-backend-wasm", engineName: "wasm" },
  { label: "cpu", preference: "cpu", packageName: "@tensorflow/tfjs-backend-cpu", engineName: "cpu" },
];

let silenced = false;

/**
 * Keeps tfjs quiet: prod mode drops the "Hi there 👋 … install our node backend" banner (tfjs logs warnings
 * only outside PROD), and TF_CPP_MIN_LOG_LEVEL=2 hides libtensorflow's CPU-feature and CUDA info lines.
 */
export function silenceTfjs(): void {
  if (silenced) return;
  silenced = true;
  process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
  tf.enableProdMode();
}

function isInstalled(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

const loaded = new Map<TfjsBackendLabel, Promise<boolean>>();
/** Native packages imported so far (tfjs-node and tfjs-node-gpu both register "tensorflow"). */
const nativeLoaded = new Set<TfjsBackendLabel>();

function isOtherNativeLoaded(label: TfjsBackendLabel): boolean {
  for (const other of nativeLoaded) if (other !== label) return true;
  return false;
}

/**
 * Imports the backend's package (dynamic import: the native ones are optional dependencies that fail to
 * install where their binaries cannot be downloaded) and checks that tfjs can switch to it. Never throws.
 */
function loadCandidate(candidate: BackendCandidate): Promise<boolean> {
  let attempt = loaded.get(candidate.label);
  if (!attempt) {
    attempt = (async () => {
      if (!isInstalled(candidate.packageName)) return false;
      try {
        silenceTfjs();
        const specifier: string = candidate.packageName;
        await import(specifier);
        if (candidate.engineName === "tensorflow") nativeLoaded.add(candidate.label);
        return tf.findBackendFactory(candidate.engineName) !== null;
      } catch {
        return false;
      }
    })();
    loaded.set(candidate.label, attempt);
  }
  return attempt;
}

export interface SelectedBackend {
  label: TfjsBackendLabel;
  /** Backends tried before this one that were not available, with why (for the trial log). */
  skipped: string[];
}

/**
 * Switches tfjs to the preferred backend: `auto` takes the first that loads of tensorflow-gpu, tensorflow,
 * wasm, cpu; a forced preference fails with a clear error when its package is missing.
 */
export async function selectTfjsBackend(preference: BackendPreference): Promise<SelectedBackend> {
  silenceTfjs();
  const candidates =
    preference === "auto"
      ? BACKEND_CANDIDATES
      : BACKEND_CANDIDATES.filter((c) => c.preference === preference);
  const skipped: string[] = [];
  for (const candidate of candidates) {
    const clash = candidate.engineName === "tensorflow" && isOtherNativeLoaded(candidate.label);
    if (!clash && (await loadCandidate(candidate)) && (await tf.setBackend(candidate.engineName))) {
      await tf.ready();
      return { label: candidate.label, skipped };
    }
    skipped.push(
      `${candidate.label} (${candidate.packageName} ${clash ? "clashes with the other native backend" : "not installed or failed to load"})`,
    );
  }
  throw new Error(
    preference === "auto"
      ? `no tfjs backend could be loaded: ${skipped.join("; ")}`
      : `backend "${preference}" requested but unavailable: ${skipped.join("; ")}`,
  );
}

/** Which backends load in this process, fastest first (for the worker's registration and `GET /v1/workers`). */
export async function detectTfjsBackends(): Promise<string[]> {
  const available: string[] = [];
  for (const candidate of BACKEND_CANDIDATES) {
    if (candidate.engineName === "tensorflow" && isOtherNativeLoaded(candidate.label)) continue;
    if (await loadCandidate(candidate)) available.push(candidate.label);
  }
  return available;
}
