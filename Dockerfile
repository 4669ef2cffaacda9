# syntax=docker/dockerfile:1
# Trailcast web app (Remix v2). Built by `sst deploy` (CDK image asset, linux/amd64) and run on ECS Fargate.
# Contract: `npm run build` writes build/; `remix-serve build/server/index.js` serves it on $PORT (3000) with a
# /healthz route. Only production dependencies reach the runtime image, which runs as the unprivileged `node` user.

ARG NODE_IMAGE=node:22-slim

# 1. Build: full install (dev dependencies included) and `npm run build`.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only, installed separately so dev tooling never reaches the runtime image.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: node_modules, build output, package.json (remix-serve reads "type" from it) and the sources of
#    the local data worker, owned by root and read-only for the `node` user (uid 1000) that runs the server.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/build ./build
# Without MCP_URL the MCP server runs in a worker thread from TypeScript sources, through tsx (a production
# dependency): its entry in app/utils (app/utils/mcp-local.server.ts) and what it imports, core/ and mcp/.
COPY --from=build /app/app/utils ./app/utils
COPY --from=build /app/core ./core
COPY --from=build /app/mcp ./mcp
USER node
EXPOSE 3000
# ECS uses the task definition's health check; this one serves `docker run` and local compose setups.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The `npx remix-serve` of the contract, minus npx: Node is then the process that receives SIGTERM.
CMD ["node_modules/.bin/remix-serve", "build/server/index.js"]
