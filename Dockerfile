# jumio-mock as a container: `docker build -t jumio-mock .` then
# `docker run --rm -p 3000:3000 jumio-mock`. See the README, "Container image".
# The base is any Node image with npm and a `node` user (uid 1000): the official slim ones by
# default; the container test builds on a local stand-in (--build-arg NODE_IMAGE=...).
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Compile TypeScript with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# the build also writes JSON copies of the contracts and bundles the CLI (both for start-up time)
COPY contracts ./contracts
COPY scripts/contracts-json.mjs scripts/bundle.mjs ./scripts/
RUN npm run build

# 2. The production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The docs page serves three files of swagger-ui-dist: drop its source maps and ES bundles (9 MB).
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force \
  && rm -f node_modules/swagger-ui-dist/*.map node_modules/swagger-ui-dist/swagger-ui-es-bundle*

# 3. The runtime: compiled code, production dependencies, contracts and the shipped scenarios.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json scenarios.yaml ./
COPY contracts ./contracts
# Replace the shipped scenarios by mounting a file over /app/scenarios.yaml, or (to keep hot
# reload working when an editor replaces the file) a folder at /config with
# JUMIO_MOCK_SCENARIOS=/config/scenarios.yaml.
# HTTPS (docs/https.md): a folder the node user owns, where a volume keeps the generated CA
RUN mkdir /ca && chown node:node /ca
USER node
EXPOSE 3000
# Slim images have no curl: node's own fetch checks the admin health endpoint on $PORT (with
# the admin token when one is set: every admin route needs it then).
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "const t=process.env.JUMIO_MOCK_ADMIN_TOKEN;fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/__admin/health',{headers:t?{Authorization:'Bearer '+t}:{}}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM/SIGINT itself (graceful shutdown, exit 0): no init needed.
CMD ["node", "dist/main.js"]
