import { memorySettingsText, systemPromptText } from "@replibot/chat";
import { setMemory, setSystemPrompt } from "@replibot/db";
import type { WebClient } from "@slack/web-api";
import { parseSettingsText } from "../command-text.ts";
import type { SlackAppDeps } from "../deps.ts";
import { asSlackAdmin } from "./admin.ts";
import type { SlackOrigin } from "./start-job.ts";

/** `/replibot settings memory …|system-prompt …`: workspace admins only. */
export async function settings(deps: SlackAppDeps, origin: SlackOrigin, client: WebClient, text: string) {
  const parsed = parseSettingsText(text);
  if (!parsed.ok) return origin.tell(parsed.reason);
  const setting = parsed.value;
  await asSlackAdmin(deps, origin, client, async ({ tenantId }) => {
    if (setting.kind === "memory") {
      await setMemory(deps.db, tenantId, { turns: setting.turns, contextTokenCap: setting.contextTokenCap });
      return origin.tell(memorySettingsText({ ...setting, platform: "slack", readsMessages: true }));
    }
    await setSystemPrompt(deps.db, tenantId, setting.text);
    return origin.tell(systemPromptText(setting.text, "slack"));
  });
}
