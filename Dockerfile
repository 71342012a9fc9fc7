# jumio-mock as a container: `docker build -t jumio-mock .` then
# `docker run --rm -p 3000:3000 jumio-mock`. See docs/deployment.md.
# Durable mode: `docker run -p 3000:3000 -e JUMIO_MOCK_DATA_DIR=/data -v jumio-data:/data jumio-mock`.
# The runtime base is any Node image with npm and a `node` user (uid 1000): the official slim one
# by default. The deps stage builds better-sqlite3's native binding (durable mode) on a base with
# python3, make, g++ and Node's headers in /usr/local/include/node: the official full image by
# default. Both must run the same Node major (the binding is built for its ABI; the last stage
# checks that it loads). The container test builds on local stand-ins (--build-arg NODE_IMAGE=...
# --build-arg BUILD_IMAGE=...).
ARG NODE_IMAGE=node:22-bookworm-slim
ARG BUILD_IMAGE=node:22-bookworm

# 1. Compile TypeScript with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# the build also writes JSON copies of the contracts and the scenarios file, and bundles the CLI
# (all for start-up time)
COPY contracts ./contracts
COPY scenarios.yaml ./
COPY scripts/contracts-json.mjs scripts/bundle.mjs ./scripts/
RUN npm run build

# 2. The production dependencies only. No install script runs: better-sqlite3's binding is built
# from source by node-gyp (its build-release script, without the prebuilt-binary download its
# install script tries first) against the image's own Node headers, so nothing is downloaded.
# Only the binding is kept of the build.
FROM ${BUILD_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
ENV npm_config_nodedir=/usr/local
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
  && cd node_modules/better-sqlite3 && npm run build-release \
  && mv build/Release/better_sqlite3.node . && rm -rf build deps src \
  && mkdir -p build/Release && mv better_sqlite3.node build/Release/
# The docs page serves three files of swagger-ui-dist: drop its source maps and ES bundles (9 MB).
RUN npm cache clean --force \
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
# Durable mode's data directory and the HTTPS CA's folder (docs/https.md), owned by the image's
# user (a new named volume takes its owner). In memory unless JUMIO_MOCK_DATA_DIR=/data is set.
# The binding must load here, or no image.
RUN mkdir /data /ca && chown node:node /data /ca \
  && node -e "new (require('better-sqlite3'))(':memory:').close()"
VOLUME /data
USER node
EXPOSE 3000
# Slim images have no curl: node's own fetch checks the admin health endpoint on $PORT (with
# the admin token when one is set: every admin route needs it then). It answers 503 while
# durable mode's disk refuses writes.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "const t=process.env.JUMIO_MOCK_ADMIN_TOKEN;fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/__admin/health',{headers:t?{Authorization:'Bearer '+t}:{}}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM/SIGINT itself (graceful shutdown, exit 0): no init needed.
CMD ["node", "dist/main.js"]
