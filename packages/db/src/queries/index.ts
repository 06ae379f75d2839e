export * from "./jobs.ts";
export * from "./period.ts";
export * from "./spend.ts";
export * from "./spend-report.ts";
export * from "./tenants.ts";
