export * from "./jobs.ts";
export * from "./period.ts";
export * from "./spend.ts";
export * from "./tenants.ts";
