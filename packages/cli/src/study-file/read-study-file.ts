import { readFileSync } from "node:fs";
import { studyDefinitionSchema, type PathIssue } from "@hpo/contracts";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { z } from "zod";
import { CliError, exitCodes } from "../exit-codes.js";

export type JsonPath = readonly (string | number)[];

/** A study file (YAML or JSON: JSON is YAML) with the positions of its keys, to point problems at lines. */
export interface StudyFile {
  path: string;
  definition: unknown;
  /** "study.yaml:7:5 (space.0.high)": where a JSON path of the definition is, or its nearest parent. */
  describe(path: JsonPath): string;
}

function keyPathAt(node: unknown, offset: number, path: (string | number)[]): (string | number)[] {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key : null;
      const start = key?.range?.[0];
      const value = isNode(pair.value) ? pair.value : null;
      const end = value?.range?.[2] ?? key?.range?.[2];
      if (key && start !== undefined && end !== undefined && offset >= start && offset <= end) {
        return keyPathAt(value, offset, [...path, String(key.value)]);
      }
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const range = isNode(item) ? item.range : null;
      if (range && offset >= range[0] && offset <= range[2]) return keyPathAt(item, offset, [...path, index]);
    }
  }
  return path;
}

function nodeAt(document: Document, path: JsonPath): Node | null {
  for (let length = path.length; length >= 0; length--) {
    const found: unknown = document.getIn(path.slice(0, length), true);
    if (isNode(found) && found.range) return found;
  }
  return null;
}

/**
 * Reads a study definition from YAML or JSON. A syntax error is a CliError (exit 3) naming the line, the
 * column and the key it is under; a definition that fails the contract's checks lists every problem with
 * its JSON path and line.
 */
export function readStudyFile(path: string, text = readFileSync(path, "utf8")): StudyFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lines = text.split("\n");
  const where = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${path}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      const offset = error.pos[0];
      const keys = keyPathAt(document.contents, offset, []);
      const { line, col } = lineCounter.linePos(offset);
      const source = lines[line - 1] ?? "";
      const under = keys.length > 0 ? ` (under ${keys.join(".")})` : "";
      const message = error.message.split("\n")[0] ?? error.message;
      return `${where(offset)}${under}: ${message}\n    ${source}\n    ${" ".repeat(Math.max(0, col - 1))}^`;
    });
    throw new CliError(`${path} is not valid YAML/JSON:\n  ${problems.join("\n  ")}`, exitCodes.invalidInput);
  }
  const definition: unknown = document.toJS();
  return {
    path,
    definition,
    describe(jsonPath) {
      const node = nodeAt(document, jsonPath);
      const shown = jsonPath.length > 0 ? ` (${jsonPath.join(".")})` : "";
      return node?.range ? `${where(node.range[0])}${shown}` : `${path}${shown}`;
    },
  };
}

/** One line per problem: `file:line:col (json.path): message`. */
export function describeIssues(
  file: StudyFile,
  issues: readonly Pick<PathIssue, "path" | "message">[],
): string {
  return issues.map((issue) => `  ${file.describe(issue.path)}: ${issue.message}`).join("\n");
}

/**
 * Checks the definition with the contract before sending it, so every problem is reported with its line
 * (the API checks again and adds the cross-field checks; its 400 is mapped to lines the same way).
 */
export function checkStudyDefinition(file: StudyFile, overrides: { name?: string }): unknown {
  const fields = z.record(z.string(), z.unknown()).safeParse(file.definition);
  const candidate =
    overrides.name !== undefined && fields.success
      ? { ...fields.data, name: overrides.name }
      : file.definition;
  const parsed = studyDefinitionSchema.safeParse(candidate);
  if (parsed.success) return candidate;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.filter((segment): segment is string | number => typeof segment !== "symbol"),
    message: issue.message,
  }));
  throw new CliError(
    `${file.path} is not a valid study definition:\n${describeIssues(file, issues)}`,
    exitCodes.invalidInput,
    { details: { issues } },
  );
}
