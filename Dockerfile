# e-RS Helper: docker build -t ers-helper . && docker run -p 3978:3978 --env-file .env ers-helper

FROM node:20-slim AS build
# better-sqlite3 compiles its bundled SQLite with node-gyp (its prebuilt download is not used).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
# Build with the dev tools, then reinstall production dependencies only.
RUN npm run build \
  && rm -rf node_modules \
  && npm ci --omit=dev \
  && npm cache clean --force

FROM node:20-slim
# HOST=0.0.0.0 needs MicrosoftAppId and MicrosoftAppPassword in the env file: without them the bot
# would run unauthenticated, so it refuses to start and names the missing setting.
ENV NODE_ENV=production \
    PORT=3978 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# The SQLite database (the default storage) lives here; mount a volume on it to keep state across
# containers. A new container on the same volume carries on: nothing in it is tied to the host name.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/bot/index.js"]
