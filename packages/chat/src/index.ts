export * from "./admin-text.ts";
export * from "./chat-platform.ts";
export * from "./discord/index.ts";
export * from "./governor/index.ts";
export * from "./queued-notice.ts";
export * from "./reply-writer.ts";
export * from "./slack/index.ts";
export * from "./split-message.ts";
