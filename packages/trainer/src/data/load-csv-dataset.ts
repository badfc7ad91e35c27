import { readFile } from "node:fs/promises";
import type { Dataset } from "./dataset-types.js";

/** Splits one CSV line on commas, honouring double-quoted fields ("a,b" and "" escapes). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      fields.push(current.trim());
      current = "";
    } else current += char;
  }
  fields.push(current.trim());
  return fields;
}

/**
 * Parses CSV text into a classification dataset: every column except the label column must be numeric; the
 * label column may hold any strings (classes are numbered in sorted order). The first line is a header when
 * any of its feature cells is not a number. `labelColumn` names the header column; the default is the last.
 * Errors name the line and column, e.g. `line 7, column "petal_width": "abc" is not a number`.
 */
export function parseCsvDataset(
  text: string,
  options: { name: string; labelColumn?: string | undefined },
): Dataset {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
  const first = lines[0];
  if (first === undefined) throw new Error(`${options.name}: the CSV file is empty`);
  const firstCells = splitCsvLine(first);
  const hasHeader = firstCells.some((cell) => cell === "" || !Number.isFinite(Number(cell)));
  const header = hasHeader ? firstCells : firstCells.map((_, i) => `column${i}`);
  if (header.length < 2)
    throw new Error(`${options.name}: need at least one feature column and a label column`);
  let labelIndex = header.length - 1;
  if (options.labelColumn !== undefined) {
    labelIndex = header.indexOf(options.labelColumn);
    if (labelIndex < 0) {
      throw new Error(
        `${options.name}: label column "${options.labelColumn}" not found; columns are ${header.map((h) => `"${h}"`).join(", ")}`,
      );
    }
  }
  const rows = (hasHeader ? lines.slice(1) : lines).map(splitCsvLine);
  if (rows.length < 2) throw new Error(`${options.name}: need at least 2 data rows, found ${rows.length}`);
  const numFeatures = header.length - 1;
  const rawLabels: string[] = [];
  const features = new Float32Array(rows.length * numFeatures);
  rows.forEach((cells, row) => {
    const lineNumber = row + (hasHeader ? 2 : 1);
    if (cells.length !== header.length) {
      throw new Error(
        `${options.name}: line ${lineNumber} has ${cells.length} fields, expected ${header.length}`,
      );
    }
    let f = 0;
    cells.forEach((cell, column) => {
      if (column === labelIndex) {
        rawLabels.push(cell);
        return;
      }
      const value = Number(cell);
      if (cell === "" || !Number.isFinite(value)) {
        throw new Error(
          `${options.name}: line ${lineNumber}, column "${header[column] ?? column}": "${cell}" is not a number`,
        );
      }
      features[row * numFeatures + f] = value;
      f++;
    });
  });
  const classNames = [...new Set(rawLabels)].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  if (classNames.length < 2) throw new Error(`${options.name}: the label column has fewer than 2 classes`);
  const labels = Int32Array.from(rawLabels, (label) => classNames.indexOf(label));
  return {
    name: options.name,
    features,
    labels,
    numSamples: rows.length,
    numFeatures,
    numClasses: classNames.length,
    standardize: true,
    classNames,
  };
}

export async function loadCsvDataset(path: string, labelColumn?: string): Promise<Dataset> {
  const text = await readFile(path, "utf8");
  return parseCsvDataset(text, { name: `csv:${path}`, labelColumn });
}
