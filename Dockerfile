# One image for every Replibot process; the command picks the app.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY apps ./apps
COPY packages ./packages
COPY migrations ./migrations
COPY scripts ./scripts
# Dev dependencies stay: apps run from TypeScript source with tsx.
RUN npm ci --include=dev && npm cache clean --force
USER node
EXPOSE 8080 3000 8090
CMD ["npm", "start"]
