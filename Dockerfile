# Multi-stage: build the bundles once, then one runtime image per long-running service
# (docker compose builds the `appsync-local` and `bridge` targets). The runtime stages hold
# dist/ and the production dependencies only: no tsx, no TypeScript sources, no tests.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# Install everything (esbuild is a dev dependency), bundle every app into dist/, then drop the dev
# dependencies and the workspace links: the bundles inline the workspace libs.
RUN npm ci --ignore-scripts \
  && npm run build \
  && npm prune --omit=dev --ignore-scripts \
  && rm -rf node_modules/@tickerflow \
  && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# NODE_ENV=production also makes graphql-js skip its cross-realm checks (appsync-local's hot path).
ENV NODE_ENV=production NO_COLOR=1
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node

FROM runtime AS appsync-local
EXPOSE 4000
HEALTHCHECK --interval=5s --timeout=3s --retries=10 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/appsync-local/main.js", "--host", "0.0.0.0", "--port", "4000"]

FROM runtime AS bridge
EXPOSE 9464
HEALTHCHECK --interval=5s --timeout=3s --retries=20 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/bridge/main.js", "run", "--metrics-port", "9464", "--metrics-host", "0.0.0.0"]
