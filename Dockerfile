# syntax=docker/dockerfile:1.7
# SportScan image: `docker build -t sportscan .` then `docker run -p 8000:8000 sportscan`.
# Build args: TFJS_NODE=1 adds the native TensorFlow backend (downloads libtensorflow at install time;
# default off: the WebAssembly backend needs no download), GIT_SHA is recorded with registered models.
ARG NODE_IMAGE=node:20-slim

# ---- build: all dependencies, compile TypeScript and the dashboard into dist/
FROM ${NODE_IMAGE} AS build
# onnxruntime-node's install script would fetch CUDA providers; the CPU build is in the package. (npm 11 skips
# it through package.json's allowScripts; node:20 images ship npm 10, which reads this instead.)
ENV ONNXRUNTIME_NODE_INSTALL=skip
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: `prepare` would build before the sources are here; `npm rebuild` then runs the
# dependencies' own install scripts (sharp's check) without the root's.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts && npm rebuild
COPY . .
RUN npm run build

# ---- prod-deps: production dependencies only, no dev tools in the final image
FROM ${NODE_IMAGE} AS prod-deps
ARG TFJS_NODE=0
ENV ONNXRUNTIME_NODE_INSTALL=skip
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts && npm rebuild \
    # onnxruntime-node ships CPU binaries for every OS (~220 MB are macOS and Windows ones)
    && find node_modules/onnxruntime-node/bin -mindepth 2 -maxdepth 2 -type d ! -name linux -exec rm -rf {} + \
    && if [ "$TFJS_NODE" = "1" ]; then \
         apt-get update && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
         && npm install --no-save --omit=dev @tensorflow/tfjs-node@4.22.0 \
         && rm -rf /var/lib/apt/lists/*; \
       fi

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ARG GIT_SHA=unknown
ARG VERSION=0.0.0
LABEL org.opencontainers.image.title="sportscan" \
      org.opencontainers.image.description="Recognise sports balls in photos: API, dashboard, training pipeline" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.version="${VERSION}"
# tini reaps zombies and forwards SIGTERM so the server drains on `docker stop` and pod deletion;
# fonts-dejavu-core: sharp renders the SVG text of PNG plots, and slim images ship no fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini fonts-dejavu-core ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_LEVEL=info \
    SPORTSCAN_HOME=/var/lib/sportscan \
    SPORTSCAN_BUNDLED_MODEL=/app/models/sports-ball-cnn \
    SPORTSCAN_CODE_VERSION=${GIT_SHA}
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# migrations are applied on start (dist/db/client.js reads ../../drizzle)
COPY drizzle ./drizzle
COPY models ./models
COPY pipelines ./pipelines
COPY deploy/scripts ./deploy/scripts
RUN chmod +x dist/cli/main.js deploy/scripts/*.sh \
    && ln -s /app/dist/cli/main.js /usr/local/bin/sportscan \
    && mkdir -p /var/lib/sportscan \
    && chown node:node /var/lib/sportscan
# the `node` user (uid 1000) of the base image; numeric so Kubernetes can check runAsNonRoot
USER 1000:1000
VOLUME ["/var/lib/sportscan"]
EXPOSE 8000
# no curl in slim images: node's fetch does the probe
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/cli/main.js", "serve"]
