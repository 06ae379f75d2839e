import { randomBytes } from "node:crypto";
import { migrate, withDatabase } from "@replibot/db";
import { dropDatabase } from "../../test/helpers/test-database.ts";

/** A migrated database of one benchmark's own on the bench Postgres server, dropped by `drop()`. */
export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates `replibot_bench_<label>_<random>` (the prefix is what the commit counter sums) and applies
 * the migrations, as `npm start` would on a fresh install.
 */
export async function createBenchDatabase(serverUrl: string, label: string): Promise<BenchDatabase> {
  const name = `replibot_bench_${label.replace(/\W/g, "_")}_${randomBytes(3).toString("hex")}`;
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  return { url, drop: () => dropDatabase(url, name) };
}
