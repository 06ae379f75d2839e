import { randomBytes } from "node:crypto";
import { createDb, type DbHandle, migrate, withDatabase } from "@replibot/db";
import postgres from "postgres";
import { testEnv } from "./test-env.ts";

/** A database of one's own, created and migrated from migrations/, dropped by `drop()`. */
export interface TestDatabase extends DbHandle {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates `replibot_test_<random>` on the shared server, applies the migrations and opens a small pool. */
export async function createTestDatabase(label = "t"): Promise<TestDatabase> {
  const name = `replibot_test_${label.replace(/\W/g, "_").slice(0, 20)}_${randomBytes(4).toString("hex")}`;
  const url = withDatabase(testEnv.postgresUrl, name);
  await migrate(url);
  const handle = createDb({ url, max: 3 });
  return {
    ...handle,
    url,
    name,
    async drop() {
      await handle.close();
      await dropDatabase(url, name);
    },
  };
}

/** Drops a test database, disconnecting anyone still in it. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
