# kiro-dock serve in a container, for a team behind a load balancer (see compose.yaml and the README).
# Build: docker build -t kiro-dock .
FROM node:20-bookworm-slim AS build
# better-sqlite3 (the usage ledger) is compiled here, from source, with the image's Node headers.
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
ENV npm_config_build_from_source=true ELECTRON_SKIP_BINARY_DOWNLOAD=1
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:renderer && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
USER node
VOLUME /data
EXPOSE 8765
# Beyond loopback the client key must be 32 characters or more: set KIRO_DOCK_API_KEY, or let the first run
# generate one (printed once). The file secret store keeps Kiro tokens in /data/secrets.json (mode 0600).
# Replicas (KIRO_DOCK_REDIS_URL) given the same KIRO_DOCK_SECRET_KEY (or --secret-key-file /run/secrets/…) keep
# the Kiro accounts and their tokens in Redis instead, sealed with that key. Pass it at run time, never build it in.
ENTRYPOINT ["node", "bin/kiro-dock.js", "serve", "--host", "0.0.0.0", "--port", "8765", "--data-dir", "/data", "--secret-store", "file"]
