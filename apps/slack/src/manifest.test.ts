import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLACK_BOT_SCOPES, SLACK_COMMANDS } from "./slack-app.ts";

const manifest = parse(readFileSync(new URL("../manifest.yml", import.meta.url), "utf8"));

describe("apps/slack/manifest.yml", () => {
  it("declares exactly the commands the app answers, each sent to /slack/events", () => {
    const commands = manifest.features.slash_commands as { command: string; url: string }[];
    expect(commands.map((c) => c.command).sort()).toEqual([...SLACK_COMMANDS].sort());
    for (const command of commands) expect(new URL(command.url).pathname).toBe("/slack/events");
  });

  it("asks for exactly the scopes OAuth installs request, chat:write.public among them", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
    expect(manifest.oauth_config.scopes.bot).toContain("chat:write.public");
  });

  it("subscribes to mentions, messages (follow-ups, DMs) and the events that tell a workspace left", () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      "app_mention",
      "message.channels",
      "message.groups",
      "message.im",
      "app_uninstalled",
      "tokens_revoked",
    ]);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe("/slack/events");
    expect(new URL(manifest.oauth_config.redirect_urls[0]).pathname).toBe("/slack/oauth_redirect");
  });
});
