export * from "./connection-error.ts";
export * from "./create-db.ts";
export * from "./database-url.ts";
export * from "./migrate.ts";
export * from "./ping.ts";
export * from "./queries/index.ts";
export * from "./schema.ts";
export * from "./secrets-box.ts";
