#!/usr/bin/env bash
# Runs on the GPU machine from the repository root: unpacks Node, shows the GPU, runs the check.
set -uo pipefail
out=tests/gpu/.out
xz -dc "$out/node.xz" > /tmp/node && chmod +x /tmp/node
/tmp/node --version
nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available())"
/tmp/node "$out/gpu-check.js" | tee "${OUT:-/tmp}/gpu-check.log"
