export * from "./discord-budgets.ts";
export * from "./discord-message-body.ts";
export * from "./discord-platform.ts";
