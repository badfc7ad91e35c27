#!/usr/bin/env bash
# Bundles the GPU check (run-gpu-check.ts) and the worker's trainer child into .gpu-check/ with a
# compressed Node binary, for a GPU machine without Node or npm. See docs/gpu.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=.gpu-check
rm -rf "$out" && mkdir -p "$out"
banner="import { createRequire as __hpoCreateRequire } from 'node:module'; const require = __hpoCreateRequire(import.meta.url);"
common=(--bundle --platform=node --format=esm --target=node20 --conditions=source --log-level=warning "--banner:js=$banner")
npx esbuild packages/trainer/bench/run-gpu-check.ts "${common[@]}" --outfile="$out/run-gpu-check.mjs"
# startChildTrial forks ./trainer-child.js next to its own module: the bundle above.
npx esbuild packages/worker/src/child/trainer-child.ts "${common[@]}" --outfile="$out/trainer-child.js"
echo '{"type":"module"}' >"$out/package.json"
xz -T2 -6 -c "$(readlink -f "$(command -v node)")" >"$out/node.xz"
du -sh "$out"/*
