# Coterie: production image. Multi-stage, runs as a non-root user.
#   docker build -t coterie .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e APP_URL=… -e STRIPE_SECRET_KEY=… -e STRIPE_WEBHOOK_SECRET=… coterie

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
COPY prisma.config.ts ./
RUN npm ci

FROM deps AS build
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
RUN groupadd --system coterie && useradd --system --gid coterie --home /app coterie
COPY --from=build --chown=coterie:coterie /app/node_modules ./node_modules
COPY --from=build --chown=coterie:coterie /app/build ./build
COPY --from=build --chown=coterie:coterie /app/public ./public
COPY --from=build --chown=coterie:coterie /app/app ./app
COPY --from=build --chown=coterie:coterie /app/prisma ./prisma
COPY --from=build --chown=coterie:coterie /app/scripts ./scripts
COPY --from=build --chown=coterie:coterie /app/package.json /app/tsconfig.json ./
USER coterie
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Applies pending migrations, then serves (npm start).
CMD ["npm", "start"]
