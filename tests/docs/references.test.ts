import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildIndex, findBrokenReferences, scanRepository } from "./repository-references.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("references in docs and comments", () => {
  it("point only at files that exist in the repository", () => {
    const broken = scanRepository(root).map((b) => `${b.file}:${b.line}: ${b.reference} (${b.reason})`);
    expect(broken).toEqual([]);
  });

  it("the scanner flags missing paths, links, documents and issue citations, and nothing else", () => {
    const index = buildIndex(["docs/design.md", "packages/core/src/index.ts", "README.md"]);
    const md = [
      "See [the design](docs/design.md), [gone](docs/gone.md) and [web](https://example.com/x.md).",
      "Code: packages/core/src/index.ts, packages/core/src/missing.ts and tests/**/*.test.ts.",
      "Also design.md, reliability.md and issue 7; done-when 3.",
      "Contract in /work/coord/CONTRACTS.md; route /v1/studies/x.json.",
    ].join("\n");
    expect(findBrokenReferences("README.md", md, index).map((b) => `${b.line} ${b.reference}`)).toEqual([
      "1 docs/gone.md",
      "2 packages/core/src/missing.ts",
      "3 reliability.md",
      "3 issue 7",
      "3 done-when 3",
      "4 /work/coord/CONTRACTS.md",
    ]);
    const ts = [
      "/** Protocol of shared/bench/README.md. */",
      'const path = "packages/nowhere.ts"; // see packages/core/src/index.ts',
      "// as issue 4 asks",
    ].join("\n");
    expect(findBrokenReferences("packages/x.ts", ts, index).map((b) => `${b.line} ${b.reference}`)).toEqual([
      "1 shared/bench/README.md",
      "3 issue 4",
    ]);
  });
});
