export * from "./split-message.ts";
