import { randomBytes } from "node:crypto";
import { createRedis, queuePrefix } from "@replibot/queue";
import type { Redis } from "ioredis";
import { testEnv } from "./test-env.ts";

/** A BullMQ prefix of one's own and a way to delete every key under it. */
export interface TestRedis {
  url: string;
  prefix: string;
  /** Opens a connection for a role; closed by `cleanup()`. */
  connect(role: "worker" | "producer"): Redis;
  cleanup(): Promise<void>;
}

/** Gives a test file its own queue prefix on the shared Redis. */
export function createTestRedis(label = "t"): TestRedis {
  const prefix = queuePrefix(`replibot-test-${label}-${randomBytes(4).toString("hex")}`);
  const connections: Redis[] = [];
  return {
    url: testEnv.redisUrl,
    prefix,
    connect(role) {
      const redis = createRedis({ url: testEnv.redisUrl, role });
      connections.push(redis);
      return redis;
    },
    async cleanup() {
      const admin = createRedis({ url: testEnv.redisUrl, role: "worker" });
      try {
        let cursor = "0";
        do {
          const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          cursor = next;
          if (keys.length > 0) await admin.unlink(...keys);
        } while (cursor !== "0");
      } finally {
        admin.disconnect();
        for (const redis of connections) redis.disconnect();
      }
    },
  };
}
