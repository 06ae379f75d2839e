export * from "./console-platform.ts";
export * from "./console-store.ts";
