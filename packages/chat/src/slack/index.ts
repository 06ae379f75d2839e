export * from "./slack-budgets.ts";
export * from "./slack-message-body.ts";
export * from "./slack-platform.ts";
