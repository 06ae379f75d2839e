export * from "./access.ts";
export * from "./env.ts";
export * from "./server.ts";
