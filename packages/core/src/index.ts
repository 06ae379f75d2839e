export * from "./app-error.ts";
export * from "./job-catalog.ts";
export * from "./job-id.ts";
export * from "./logger.ts";
export * from "./money.ts";
export * from "./reply-target.ts";
