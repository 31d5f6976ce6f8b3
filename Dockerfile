# Quartermaster: `qm serve` on port 3000 as an unprivileged user. Build: docker build -t quartermaster .
# Stage 1 compiles the TypeScript; stage 2 carries only the compiled code, production dependencies and the files
# shipped with the package (migrations, policies, demo and reference data).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts skipped: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bots ./bots
COPY agents ./agents
COPY mcp-servers ./mcp-servers
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    QM_DATA_DIR=/var/lib/quartermaster
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY migrations ./migrations
COPY policies ./policies
COPY data ./data
COPY manifest ./manifest
RUN mkdir -p /var/lib/quartermaster && chown node:node /var/lib/quartermaster
USER node
EXPOSE 3000
# Liveness; load balancers and orchestrators should also use GET /readyz (database, migrations, job queue).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains in-flight requests and chat work before exiting.
STOPSIGNAL SIGTERM
CMD ["node", "bin/qm.js", "serve"]
