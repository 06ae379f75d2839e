export * from "./app.ts";
export * from "./env.ts";
export * from "./health.ts";
export * from "./server.ts";
