/**
 * `npm run chaos` runs the chaos suite (test/chaos) with the short windows CI uses;
 * `npm run chaos -- --soak` runs it with long outages, retry windows and more jobs.
 */
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--soak");
if (unknown.length > 0) {
  console.error(`chaos: unknown option ${unknown[0]} (only --soak)`);
  process.exit(2);
}
const soak = args.includes("--soak");
const result = spawnSync("npx", ["vitest", "run", "--project", "chaos"], {
  stdio: "inherit",
  env: { ...process.env, ...(soak ? { CHAOS_SOAK: "1" } : {}) },
});
process.exit(result.status ?? 1);
