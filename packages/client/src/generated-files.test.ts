import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderClientFiles } from "../scripts/render-client-files.js";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("the committed OpenAPI document and client types", () => {
  it("match what the API's routes generate now (else run `npm run generate -w @hpo/client`)", async () => {
    const files = await renderClientFiles();
    expect(read("../openapi.json") === files.openapiJson, "packages/client/openapi.json is stale").toBe(true);
    expect(read("./generated/openapi.ts") === files.typesTs, "src/generated/openapi.ts is stale").toBe(true);
  }, 120_000);
});
