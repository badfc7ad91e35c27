export { buildApp, type BuildAppOptions } from "./build-app.js";
export { generateApiKeySecret, hashApiKeySecret } from "./auth/api-key-secret.js";
export {
  bootstrapSecretPattern,
  ensureBootstrapWorkerKey,
  type BootstrapKeyOutcome,
  type BootstrapKeyState,
} from "./auth/bootstrap-worker-key.js";
