# Baton's API and worker image (the same image; the command picks the role).
# TypeScript runs through tsx at runtime, so there is no build step.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, so code changes do not reinstall them. The project's own postinstall
# (scripts/postinstall.js) runs `prisma generate`, which needs the schema and prisma.config.ts.
COPY --chown=node:node package.json package-lock.json prisma.config.ts ./
COPY --chown=node:node scripts/postinstall.js scripts/
COPY --chown=node:node prisma/ prisma/
RUN npm ci --omit=dev && npm cache clean --force

COPY --chown=node:node . .

EXPOSE 3000
CMD ["npm", "run", "api"]
