# Baton's API and worker image (the same image; the command picks the role): the production build
# of `npm run build` (compiled JavaScript and the workflow bundle made once), run by plain node.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The project's postinstall (scripts/postinstall.js) runs `prisma generate`, which needs the schema.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/postinstall.js scripts/
COPY prisma/ prisma/
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
RUN chown node:node /app
USER node
# The generated client is compiled into dist/, so the runtime needs no install scripts.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build --chown=node:node /app/dist dist/

EXPOSE 3000
CMD ["node", "dist/api/main.js"]
