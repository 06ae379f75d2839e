export * from "./deps.ts";
export * from "./env.ts";
export * from "./worker.ts";
