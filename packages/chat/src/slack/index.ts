export * from "./slack-budgets.ts";
export * from "./slack-logger.ts";
export * from "./slack-message-body.ts";
export * from "./slack-mrkdwn.ts";
export * from "./slack-platform.ts";
export * from "./slack-response-url.ts";
