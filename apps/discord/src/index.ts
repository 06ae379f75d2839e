export * from "./bot.ts";
export * from "./commands.ts";
export * from "./discord-app.ts";
export * from "./env.ts";
export * from "./register-commands.ts";
