import type { App, RespondFn, SlashCommand } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { SlackAppDeps } from "./deps.ts";
import { type CommandCheck, checkAsk } from "./handlers/ask.ts";
import { CANCEL_PREFIX, cancel } from "./handlers/cancel.ts";
import { gateCommand } from "./handlers/gate.ts";
import { checkImagine, REGENERATE_PREFIX, regenerate } from "./handlers/imagine.ts";
import { handleSlackDelete, handleSlackMessage } from "./handlers/message.ts";
import { settings } from "./handlers/settings.ts";
import { spend, spendLimit } from "./handlers/spend.ts";
import { type SlackOrigin, tenantAllowed } from "./handlers/start-job.ts";
import { handleFileShare, type SlackSharedFile, transcribeSwitch } from "./handlers/transcribe.ts";
import { workspaceLeft } from "./handlers/uninstall.ts";
import { replies } from "./replies.ts";
import { slackText } from "./slack-text.ts";

/** A private answer through the request's response_url (it counts against its 5 uses). */
function teller(respond: RespondFn) {
  return async (text: string) => {
    await respond({ response_type: "ephemeral", replace_original: false, text: slackText(text) });
  };
}

/** Where a slash command came from, and how to answer its member privately. */
function commandOrigin(command: SlashCommand, respond: RespondFn, client: WebClient): SlackOrigin {
  return {
    client,
    teamId: command.team_id,
    teamName: command.team_domain,
    channelId: command.channel_id,
    userId: command.user_id,
    triggerId: command.trigger_id,
    responseUrl: command.response_url,
    tell: teller(respond),
  };
}

/** Slash commands that become jobs: a refusal is the ack itself (ephemeral); a job starts after it. */
function jobCommand(app: App, deps: SlackAppDeps, name: string, check: (text: string) => CommandCheck) {
  app.command(name, async ({ command, ack, respond, client }) => {
    if (!tenantAllowed(deps, command.team_id)) {
      return void (await ack({ response_type: "ephemeral", text: replies.tenantNotAllowed }));
    }
    const checked = check(command.text);
    if (!checked.ok) return void (await ack({ response_type: "ephemeral", text: slackText(checked.reason) }));
    const origin = commandOrigin(command, respond, client);
    // The workspace's policy and the abuse limits, before the ack so a refusal is the ack itself.
    let gated: { refused?: string; model: string };
    try {
      gated = await gateCommand(deps, origin, checked);
    } catch (error) {
      deps.logger.error({ err: error }, "could not check the request");
      return void (await ack({ response_type: "ephemeral", text: replies.databaseDown }));
    }
    if (gated.refused)
      return void (await ack({ response_type: "ephemeral", text: slackText(gated.refused) }));
    await ack();
    await checked.start(origin, gated.model);
  });
}

/** Admin commands: acked at once, then checked with users.info and answered ephemerally. */
function adminCommand(app: App, deps: SlackAppDeps, name: string, run: typeof spend) {
  app.command(name, async ({ command, ack, respond, client }) => {
    if (!tenantAllowed(deps, command.team_id)) {
      return void (await ack({ response_type: "ephemeral", text: replies.tenantNotAllowed }));
    }
    await ack();
    await run(deps, commandOrigin(command, respond, client), client, command.text);
  });
}

/** Buttons under Replibot's messages: their action ids name job rows, so they work after restarts. */
function jobButton(
  app: App,
  deps: SlackAppDeps,
  prefix: string,
  run: (deps: SlackAppDeps, origin: SlackOrigin, jobId: string) => Promise<void>,
) {
  app.action(new RegExp(`^${prefix}`), async ({ action, body, ack, respond, client }) => {
    await ack();
    if (body.type !== "block_actions" || action.type !== "button" || !("action_id" in action)) return;
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const origin: SlackOrigin = {
      client,
      teamId,
      teamName: body.team?.domain,
      channelId: body.channel?.id ?? body.container?.channel_id ?? "",
      userId: body.user.id,
      triggerId: body.trigger_id,
      responseUrl: body.response_url,
      tell: teller(respond),
    };
    if (!tenantAllowed(deps, teamId)) return origin.tell(replies.tenantNotAllowed);
    await run(deps, origin, action.action_id.slice(prefix.length));
  });
}

/** Every command, button and event Replibot answers on Slack. */
export function registerListeners(app: App, deps: SlackAppDeps): void {
  jobCommand(app, deps, "/ask", (text) => checkAsk(deps, text));
  jobCommand(app, deps, "/imagine", (text) => checkImagine(deps, text));
  adminCommand(app, deps, "/spend", spend);
  adminCommand(app, deps, "/spend-limit", spendLimit);
  jobButton(app, deps, CANCEL_PREFIX, cancel);
  jobButton(app, deps, REGENERATE_PREFIX, regenerate);
  adminCommand(app, deps, "/replibot", settings);
  adminCommand(app, deps, "/transcribe", transcribeSwitch);
  app.event("app_mention", async ({ event, context, client }) => {
    if (!event.user || event.bot_id) return;
    await handleSlackMessage(
      deps,
      client,
      {
        teamId: context.teamId ?? event.team ?? "",
        channelId: event.channel,
        userId: event.user,
        text: event.text,
        ts: event.ts,
        threadTs: event.thread_ts,
        mention: true,
      },
      context.botUserId ?? "",
    );
  });
  app.message(async ({ message, context, client }) => {
    const teamId = context.teamId ?? "";
    if (message.subtype === "message_deleted") {
      return handleSlackDelete(deps, teamId, message.channel, message.deleted_ts);
    }
    if (message.subtype === "file_share") {
      if (!message.user || message.user === context.botUserId) return;
      return handleFileShare(deps, client, {
        teamId,
        channelId: message.channel,
        userId: message.user,
        ts: message.ts,
        threadTs: message.thread_ts,
        files: (message.files ?? []) as SlackSharedFile[],
      });
    }
    if (message.subtype !== undefined || !("user" in message) || !message.user || message.bot_id) return;
    await handleSlackMessage(
      deps,
      client,
      {
        teamId,
        channelId: message.channel,
        userId: message.user,
        text: message.text ?? "",
        ts: message.ts,
        threadTs: message.thread_ts,
        channelType: message.channel_type,
        mention: false,
      },
      context.botUserId ?? "",
    );
  });
  app.event("app_uninstalled", async ({ body, context }) => {
    await workspaceLeft(deps, context.teamId ?? body.team_id, "app_uninstalled");
  });
  app.event("tokens_revoked", async ({ event, body, context }) => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await workspaceLeft(deps, context.teamId ?? body.team_id, "tokens_revoked");
  });
}
