export * from "./edit-governor.ts";
