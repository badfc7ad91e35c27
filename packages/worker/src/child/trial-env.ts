/**
 * The environment a trial's process gets: an allow-list of the worker's own, never all of it. A fleet
 * worker runs other projects' code, so its key (HPO_TOKEN), Redis (REDIS_URL), any database URL and any
 * other secret the operator set for the worker stay with the worker: a trial talks to the API only
 * through the worker's IPC. What a trainer commonly needs passes: the system basics, locale, proxies,
 * Python/Conda/virtualenv, CUDA/NVIDIA and the usual ML framework knobs. The operator adds names with
 * HPO_TRIAL_ENV_ALLOW (comma-separated; a trailing `*` allows a prefix).
 */
const ALLOWED_NAMES = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TERM",
  "LANG",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  "PWD",
  "HOSTNAME",
  "LD_LIBRARY_PATH",
  "LD_PRELOAD",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "VIRTUAL_ENV",
  "NODE_ENV",
  "NODE_PATH",
  "SYSTEMROOT",
  "COMSPEC",
  "PATHEXT",
  "WINDIR",
]);
const ALLOWED_PREFIXES = [
  "LC_",
  "PYTHON",
  "CONDA",
  "CUDA_",
  "NVIDIA_",
  "CUDNN_",
  "NCCL_",
  "TF_",
  "TORCH",
  "PYTORCH_",
  "XLA_",
  "JAX_",
  "HF_",
  "TRANSFORMERS_",
  "OMP_",
  "MKL_",
  "OPENBLAS_",
  "KMP_",
  "TFJS_",
];
/** Never passed, even when an allow rule matches them. */
const DENIED_NAMES = new Set(["HPO_TOKEN", "HPO_ADMIN_TOKEN", "REDIS_URL", "DATABASE_URL"]);

export function trialProcessEnv(
  parent: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const custom = (parent["HPO_TRIAL_ENV_ALLOW"] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const allowed = (name: string) =>
    !DENIED_NAMES.has(name) &&
    (ALLOWED_NAMES.has(name) ||
      ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix)) ||
      custom.some((rule) => (rule.endsWith("*") ? name.startsWith(rule.slice(0, -1)) : name === rule)));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && allowed(name)) env[name] = value;
  }
  return { ...env, ...extra };
}
