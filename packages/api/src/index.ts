export { buildApp, type BuildAppOptions } from "./build-app.js";
export { generateApiKeySecret, hashApiKeySecret } from "./auth/api-key-secret.js";
