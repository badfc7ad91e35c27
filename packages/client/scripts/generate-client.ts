/**
 * `npm run generate -w @hpo/client`: writes the API's OpenAPI document and the client's types from it.
 * Run it after changing a route or a REST contract; a test fails while the committed files are stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderClientFiles } from "./render-client-files.js";

const files = await renderClientFiles();
const packageRoot = new URL("../", import.meta.url);
writeFileSync(fileURLToPath(new URL("openapi.json", packageRoot)), files.openapiJson);
writeFileSync(fileURLToPath(new URL("src/generated/openapi.ts", packageRoot)), files.typesTs);
process.stdout.write("wrote packages/client/openapi.json and packages/client/src/generated/openapi.ts\n");
