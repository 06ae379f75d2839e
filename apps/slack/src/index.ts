export * from "./command-text.ts";
export * from "./env.ts";
export * from "./slack-app.ts";
