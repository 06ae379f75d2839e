/**
 * `npm run migrate`: creates the database in DATABASE_URL if missing and applies the pending migrations
 * under the advisory lock every app takes at start, then says which migration the database is at. The
 * first step of an upgrade, before any process of the new release starts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { databaseEnv, parseEnv, runMain } from "@replibot/core";
import { migrate, migrationsFolder } from "@replibot/db";

runMain("migrate", async () => {
  const { DATABASE_URL } = parseEnv(databaseEnv, process.env);
  await migrate(DATABASE_URL);
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  console.log(`migrations applied: the database is at ${journal.entries.at(-1)?.tag ?? "no migration"}`);
});
