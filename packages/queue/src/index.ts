export * from "./consumer.ts";
export * from "./heartbeat.ts";
export * from "./payload-version.ts";
export * from "./producer.ts";
export * from "./queue-names.ts";
export * from "./redis-connection.ts";
export * from "./shared-counters.ts";
