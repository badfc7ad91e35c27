import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, join, posix } from "node:path";

/**
 * Finds references in the documentation and in source comments that point at nothing in the repository:
 * - relative Markdown links (`[text](docs/gpu.md)`), resolved from the citing file;
 * - repository paths (under packages, services, tests, docs, examples, … as listed in ROOTS), from the root
 *   or from the citing file's folder;
 * - bare document names (`design.md`), which must name some file of the repository, and absolute paths to
 *   documents, which never do;
 * - citations of issue trackers' numbered items and their "done when" lists, which live outside it.
 * Markdown files are read whole; code files only in their comments (a path in a string is code's business).
 */
export interface BrokenReference {
  file: string;
  line: number;
  reference: string;
  reason: string;
}

/** Top-level folders whose paths are checked wherever they appear. */
const ROOTS = [
  "packages",
  "services",
  "tests",
  "docs",
  "examples",
  "deploy",
  "clients",
  "prisma",
  "shared",
  ".ci",
];
const PATH = new RegExp(
  `(?<![\\w./@-])(?:\\./)?((?:${ROOTS.map((r) => r.replace(".", "\\.")).join("|")})/[\\w.-][\\w./-]*)`,
  "g",
);
const BARE_DOC = /(?<![\w./@-])([A-Za-z][\w-]*\.md)\b/g;
const LINK = /\[[^\]]*\]\(([^)\s]+)\)/g;
/** An absolute path to a document: a file of some machine, never of a checkout. */
const ABSOLUTE_DOC = /(?<![\w.:/-])(\/(?:[\w.-]+\/)+[\w.-]+\.md)\b/g;
const ISSUE = /\b(?:[Ii]ssues? #?\d+|[Dd]one[- ]when \d+)/g;
/** Characters after a path that make it a pattern or template, not a file name. */
const PATTERN_TAIL = /^[*$<{]/;
/** Build outputs and installed packages: git ignores them, so they exist only after a build or install. */
const BUILD_OUTPUT = /(^|\/)(dist|node_modules)(\/|$)/;

const CODE_EXTENSIONS = new Set([".ts", ".tsx", ".js", ".mjs", ".cjs"]);
const HASH_COMMENT_EXTENSIONS = new Set([".py", ".sh", ".yaml", ".yml", ".toml"]);

/** Files of the checkout: tracked ones and new ones git does not ignore. */
export function listRepositoryFiles(root: string): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.split("\0").filter((file) => file !== "" && existsSync(join(root, file)));
}

type CommentStyle = "markdown" | "slash" | "hash";

function commentStyle(file: string): CommentStyle | undefined {
  const ext = extname(file);
  if (ext === ".md") return "markdown";
  if (CODE_EXTENSIONS.has(ext)) return "slash";
  if (HASH_COMMENT_EXTENSIONS.has(ext) || basename(file) === "Dockerfile" || file.startsWith(".ci/"))
    return "hash";
  return undefined;
}

/** The comment text of each line (empty where the line has none); Markdown lines are taken whole. */
export function commentText(lines: readonly string[], style: CommentStyle): string[] {
  if (style === "markdown") return [...lines];
  if (style === "hash") {
    return lines.map((line) => {
      const trimmed = line.trimStart();
      if (trimmed.startsWith("#")) return trimmed;
      const at = line.search(/\s#\s/);
      return at >= 0 ? line.slice(at) : "";
    });
  }
  let inBlock = false;
  return lines.map((line) => {
    const trimmed = line.trimStart();
    if (inBlock) {
      if (trimmed.includes("*/")) inBlock = false;
      return trimmed;
    }
    if (trimmed.startsWith("/*")) {
      inBlock = !trimmed.includes("*/");
      return trimmed;
    }
    if (trimmed.startsWith("//")) return trimmed;
    // A trailing comment after code: `//` after whitespace, not inside a URL (`https://`).
    const at = line.search(/\s\/\/\s/);
    return at >= 0 ? line.slice(at) : "";
  });
}

export interface ReferenceIndex {
  /** Repository-relative paths of files and of every folder above one. */
  paths: ReadonlySet<string>;
  basenames: ReadonlySet<string>;
}

export function buildIndex(files: readonly string[]): ReferenceIndex {
  const paths = new Set<string>();
  const basenames = new Set<string>();
  for (const file of files) {
    basenames.add(posix.basename(file));
    for (let path = file; path !== "." && path !== ""; path = posix.dirname(path)) paths.add(path);
  }
  return { paths, basenames };
}

/** Every broken reference in one file's text. */
export function findBrokenReferences(file: string, text: string, index: ReferenceIndex): BrokenReference[] {
  const style = commentStyle(file);
  if (style === undefined) return [];
  const broken: BrokenReference[] = [];
  const seen = new Set<string>();
  const comments = commentText(text.split("\n"), style);
  // A path may be written from the root or, in a package's own README, from the citing file's folder.
  const exists = (path: string): boolean =>
    index.paths.has(posix.normalize(path)) ||
    index.paths.has(posix.normalize(posix.join(posix.dirname(file), path)));
  comments.forEach((comment, i) => {
    const line = i + 1;
    const report = (reference: string, reason: string): void => {
      const key = `${line} ${reference}`;
      if (seen.has(key)) return;
      seen.add(key);
      broken.push({ file, line, reference, reason });
    };
    if (style === "markdown") {
      for (const match of comment.matchAll(LINK)) {
        const target = match[1] ?? "";
        if (/^[a-z][a-z+.-]*:/i.test(target) || target.startsWith("#")) continue;
        const path = posix.normalize(posix.join(posix.dirname(file), target.split("#")[0] ?? ""));
        if (!index.paths.has(path.replace(/\/$/, ""))) report(target, "link target not in the repository");
      }
    }
    for (const match of comment.matchAll(PATH)) {
      const raw = match[1] ?? "";
      const tail = comment.slice((match.index ?? 0) + match[0].length);
      if (PATTERN_TAIL.test(tail) || raw.includes("...")) continue;
      const path = raw.replace(/[.]+$/, "").replace(/\/$/, "");
      if (BUILD_OUTPUT.test(path)) continue;
      if (!exists(path)) report(path, "path not in the repository");
    }
    for (const match of comment.matchAll(BARE_DOC)) {
      const name = match[1] ?? "";
      const preceding = comment.slice(0, match.index);
      if (/[\w.-]\/$/.test(preceding)) continue; // part of a path, checked above
      if (!index.basenames.has(name)) report(name, "no such document in the repository");
    }
    for (const match of comment.matchAll(ABSOLUTE_DOC)) {
      report(match[1] ?? "", "absolute path: outside the repository");
    }
    for (const match of comment.matchAll(ISSUE)) {
      report(match[0], "cites an issue tracker item, which is not in the repository");
    }
  });
  return broken;
}

/** Scans the whole checkout at `root`. */
export function scanRepository(
  root: string,
  skip: (file: string) => boolean = () => false,
): BrokenReference[] {
  const files = listRepositoryFiles(root);
  const index = buildIndex(files);
  const broken: BrokenReference[] = [];
  for (const file of files) {
    if (skip(file) || commentStyle(file) === undefined) continue;
    broken.push(...findBrokenReferences(file, readFileSync(join(root, file), "utf8"), index));
  }
  return broken;
}
