# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev toolchain. Node 26 is the current LTS.
FROM node:26-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-lua.mjs ./scripts/
COPY src ./src
COPY commands ./commands
COPY standins ./standins
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies and compiled code only, as a non-root user.
FROM node:26-trixie-slim
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    OPS_HOST=0.0.0.0 \
    HTTP_PORT=9464
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# REDIS_URL must point at a Redis (see docker-compose.yml); the image has no redis-server.
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["start"]
