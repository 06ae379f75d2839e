import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeDiscord, type FakeDiscord } from "./fakes/discord/index.ts";
import { spawnNpm } from "./helpers/spawn-app.ts";

const applicationId = "1187654321098765432";
const botToken = `${Buffer.from(applicationId).toString("base64url")}.GfAk3d.${"t3st".repeat(8)}`;
let fake: FakeDiscord;
beforeAll(async () => {
  fake = await createFakeDiscord({ applicationId, botToken });
});
afterAll(async () => {
  await fake.close();
});

async function register(env: Record<string, string>) {
  const run = spawnNpm(["run", "register-commands", "-w", "@replibot/discord"], {
    DISCORD_TOKEN: botToken,
    DISCORD_APPLICATION_ID: applicationId,
    DISCORD_API_BASE_URL: fake.apiUrl,
    ...env,
  });
  const exit = await run.exited();
  return { exit, output: run.output() };
}

describe("npm run register-commands -w @replibot/discord", () => {
  it("registers the whole command tree in one guild, admin commands limited to Manage Server", async () => {
    const { guildId } = fake.addGuild({ name: "Dev server" });
    const { exit, output } = await register({ DISCORD_GUILD_ID: guildId });
    expect(exit.code).toBe(0);
    expect(output).toContain(`registered 8 commands in guild ${guildId} (available now)`);
    const commands = fake.commands(guildId) as {
      name: string;
      type: number;
      default_member_permissions?: string | null;
    }[];
    expect(commands.map((c) => c.name).sort()).toEqual(
      [
        "Transcribe",
        "ask",
        "forget-me",
        "imagine",
        "replibot-settings",
        "spend",
        "spend-limit",
        "transcribe",
      ].sort(),
    );
    const adminOnly = commands
      .filter((c) => c.default_member_permissions === "32")
      .map((c) => c.name)
      .sort();
    expect(adminOnly).toEqual(["replibot-settings", "spend", "spend-limit", "transcribe"]);
    expect(commands.find((c) => c.name === "Transcribe")?.type).toBe(3);
  });

  it("registers globally without DISCORD_GUILD_ID, and says it may take an hour", async () => {
    const { exit, output } = await register({});
    expect(exit.code).toBe(0);
    expect(output).toContain("registered 8 commands globally");
    expect(fake.commands()).toHaveLength(8);
  });

  it("fails with one line naming the variable when the token is missing", async () => {
    const { exit, output } = await register({ DISCORD_TOKEN: "", DISCORD_APPLICATION_ID: "" });
    expect(exit.code).not.toBe(0);
    expect(output).toMatch(/^register-commands: DISCORD_TOKEN: is required to register commands/m);
  });
});
