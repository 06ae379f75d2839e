export * from "./conversations.ts";
export * from "./jobs.ts";
export * from "./period.ts";
export * from "./slack-installations.ts";
export * from "./spend.ts";
export * from "./spend-report.ts";
export * from "./tenant-teardown.ts";
export * from "./tenants.ts";
