# syntax=docker/dockerfile:1.7
# One image per service, built from the monorepo: `docker build --target api .` (or scheduler, worker,
# worker-gpu). docker-compose.yml and deploy/kubernetes/ use these targets.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
COPY package.json package-lock.json turbo.json tsconfig.base.json prisma.config.ts ./
COPY packages ./packages
COPY services ./services
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund && npm run generate && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
# tini as PID 1 forwards SIGTERM to node and reaps orphaned trainer processes (a command trainer's
# children outliving it), which node as PID 1 would leave as zombies.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]

FROM runtime AS api
# The API binds 127.0.0.1 by default; in a container it must listen on the container's interfaces.
ENV HOST=0.0.0.0
EXPOSE 3000
# Applies pending migrations (serialized by an advisory lock, so replicas may start together), then
# `exec`s the API so that it, not the shell, receives SIGTERM.
CMD ["sh", "-c", "node packages/db/dist/cli/migrate.js && exec node services/api/dist/main.js"]

FROM runtime AS scheduler
CMD ["node", "services/scheduler/dist/main.js"]

FROM runtime AS worker
CMD ["node", "services/worker/dist/main.js", "--backend", "auto", "--gpus", "none"]

# GPU worker: CUDA 11.2 + cuDNN 8 as @tensorflow/tfjs-node-gpu 4.22 requires (see docs/gpu.md).
FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS worker-gpu
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates python3 tini \
  && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --create-home --uid 1000 hpo
WORKDIR /app
COPY --from=build /app /app
# The native CUDA backend downloads libtensorflow at install time, so it is installed here, where the network is open.
RUN npm install --no-save --no-audit --no-fund --omit=dev -w @hpo/trainer @tensorflow/tfjs-node-gpu@4.22.0
ENV NODE_ENV=production
USER hpo
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "services/worker/dist/main.js", "--backend", "gpu", "--gpus", "auto"]
