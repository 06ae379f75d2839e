export * from "./governor/index.ts";
export * from "./split-message.ts";
