#!/usr/bin/env bash
# Bundles the GPU check (tests/gpu/gpu-check.ts and the worker's trial child) and a compressed Node
# binary into tests/gpu/.out, which the device machine receives (it has Python, PyTorch and CUDA, no Node).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/gpu/.out
mkdir -p "$out"
npx esbuild tests/gpu/gpu-check.ts packages/worker/src/child/trainer-child.ts \
  --bundle --platform=node --format=esm --target=node20 --conditions=source \
  --outdir="$out" --entry-names='[name]' --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
echo '{"type":"module"}' > "$out/package.json"
[ -f "$out/node.xz" ] || xz -T2 -6 -c "$(readlink -f "$(command -v node)")" > "$out/node.xz"
ls -la "$out"
