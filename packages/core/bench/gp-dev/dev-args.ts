/**
 * Command-line flags of the gp-dev scripts (`--name value`), parsed the same way in each: `arg` reads one
 * flag with a fallback, `seedRange` reads a seed range "a..b" as the list a, a+1, …, b, or a list "3,7" (or
 * one seed "3") as given.
 */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

export function seedRange(spec: string): number[] {
  if (!spec.includes("..")) return spec.split(",").map(Number);
  const [a = 0, b] = spec.split("..").map(Number);
  const last = b ?? a;
  return Array.from({ length: Math.max(0, last - a + 1) }, (_, i) => a + i);
}
