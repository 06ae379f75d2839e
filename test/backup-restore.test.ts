import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REST } from "@discordjs/rest";
import { migrationsFolder, withDatabase } from "@replibot/db";
import { registerCommands } from "@replibot/discord";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, startDiscordStack } from "./helpers/discord-stack.ts";
import { repoRoot, spawnNpm } from "./helpers/spawn-app.ts";
import { dropDatabase } from "./helpers/test-database.ts";

const run = promisify(execFile);

/** The README's "Backups" section: its shell commands and its check query, exactly as an operator reads them. */
function readmeBackups(): { shell: string; query: string } {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Backups"));
  const block = (lang: string) => {
    const found = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\\n\`\`\``).exec(section)?.[1];
    if (!found) throw new Error(`README's Backups section has no ${lang} block`);
    return found;
  };
  return { shell: block("sh"), query: block("sql") };
}

/** The README restores into this URL; the test restores into a database of its own on the test server. */
const README_RESTORE_URL = "postgres://postgres@127.0.0.1:5432/replibot_restored";

let stack: DiscordStack;
let restoredName: string;
let restoredUrl: string;
let workdir: string;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "backup", emulator: { tokensPerSecond: 400 } });
  restoredName = `${stack.database.name}_restored`;
  restoredUrl = withDatabase(stack.database.url, restoredName);
  workdir = mkdtempSync(join(tmpdir(), "replibot-backup-"));
});
afterAll(async () => {
  if (restoredUrl) await dropDatabase(restoredUrl, restoredName).catch(() => {});
  if (workdir) rmSync(workdir, { recursive: true, force: true });
  await stack?.close();
});

/** The check query's rows in `url`, as psql prints them in CSV. */
async function ledgerCheck(url: string, query: string): Promise<string[][]> {
  const { stdout } = await run("psql", [url, "--no-psqlrc", "--csv", "--command", query]);
  return stdout
    .trim()
    .split("\n")
    .map((line) => line.split(","));
}

describe("backups (README: Operating Replibot → Backups)", () => {
  it("the README's pg_dump and pg_restore commands restore every cent, and its query checks them", async () => {
    // Real charges from two servers: text billed by tokens, images by count.
    const other = stack.fake.addGuild({ name: "Second server", channels: [{ name: "general" }] });
    const jobs = [
      await stack.finished(stack.ask("ada", "Repeat exactly:\nBacked up.").interactionId),
      await stack.finished(stack.imagine("ada", { prompt: "a vault" }).interactionId),
    ];
    await registerCommands({
      rest: new REST({ api: stack.fake.apiUrl }).setToken(stack.fake.botToken),
      applicationId: stack.fake.applicationId,
      guildId: other.guildId,
      catalog: stack.catalog,
    });
    const { interactionId } = stack.fake.slashCommand({
      guildId: other.guildId,
      channelId: other.channelIds[0]!,
      userId: stack.fake.addMember(other.guildId, { username: "bea" }),
      name: "ask",
      options: { prompt: "Repeat exactly:\nAlso backed up." },
    });
    jobs.push(await stack.finished(interactionId));
    expect(jobs.map((job) => job.status)).toEqual(["succeeded", "succeeded", "succeeded"]);

    const { shell, query } = readmeBackups();
    expect(shell).toContain(README_RESTORE_URL);
    const commands = shell
      .replaceAll(README_RESTORE_URL, restoredUrl)
      .replaceAll("replibot_restored", restoredName);
    await run("bash", ["-euo", "pipefail", "-c", commands], {
      cwd: workdir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        DATABASE_URL: stack.database.url,
      },
    });

    const live = await ledgerCheck(stack.database.url, query);
    const restored = await ledgerCheck(restoredUrl, query);
    expect(live[0]).toEqual(["platform", "external_id", "period", "spent_nanos", "ledger_nanos", "matches"]);
    // One row per server and month, every one matching, each with what was really charged.
    expect(restored).toEqual(live);
    expect(restored.slice(1).map((row) => [row[1], row[5]])).toEqual(
      [stack.guildId, other.guildId].sort().map((id) => [id, "t"]),
    );
    expect(restored.slice(1).every((row) => BigInt(row[3]!) > 0n)).toBe(true);

    // Every money table came back row for row, and the restored database is at the newest migration.
    for (const table of ["ledger_entries", "budgets", "holds", "user_spend", "jobs", "tenants"]) {
      const sql = `select count(*) || ':' || md5(string_agg(t::text, '|' order by t::text)) from ${table} t`;
      const [a, b] = await Promise.all(
        [stack.database.url, restoredUrl].map((url) =>
          run("psql", [url, "--no-psqlrc", "--tuples-only", "--no-align", "--command", sql]),
        ),
      );
      expect(b?.stdout, table).toBe(a?.stdout);
    }
    const migrate = spawnNpm(["run", "migrate"], { DATABASE_URL: restoredUrl });
    expect((await migrate.exited()).code).toBe(0);
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
      entries: { tag: string }[];
    };
    expect(migrate.output()).toContain(
      `migrations applied: the database is at ${journal.entries.at(-1)?.tag}`,
    );
  });
});
