import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Replaces the section between `start` and `end` markers of a Markdown file (docs/benchmarks.md) with
 * `section` (which includes both markers), or appends it when the markers are not there yet. Every
 * benchmark mode owns one marked section, so each run rewrites only its own table.
 */
export function writeDocSection(docPath: string, start: string, end: string, section: string): void {
  const current = existsSync(docPath) ? readFileSync(docPath, "utf8") : "# Benchmarks\n";
  const a = current.indexOf(start);
  const b = current.indexOf(end);
  const next =
    a >= 0 && b > a
      ? current.slice(0, a) + section + current.slice(b + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(docPath, next);
  console.log(`wrote ${docPath}`);
}
