# One image recipe, one target per long-running service (docker compose builds `appsync-local` and `bridge`).
# The apps run their TypeScript sources through tsx, exactly as `npx` does on a developer machine.
FROM node:20-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production NO_COLOR=1
COPY . .
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM base AS appsync-local
EXPOSE 4000
HEALTHCHECK --interval=5s --timeout=3s --retries=10 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "apps/appsync-local/bin/appsync-local.mjs", "--host", "0.0.0.0", "--port", "4000"]

FROM base AS bridge
EXPOSE 9464
HEALTHCHECK --interval=5s --timeout=3s --retries=20 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "apps/bridge/bin/bridge.mjs", "run", "--metrics-port", "9464", "--metrics-host", "0.0.0.0"]
