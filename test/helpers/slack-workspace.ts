import { createSecretsBox, getJob, getSlackInstallation } from "@replibot/db";
import type { InteractionAnswer } from "../fakes/slack/index.ts";
import { eventually } from "./pipeline.ts";
import type { SlackRequest, SlackStack } from "./slack-stack.ts";

/** A workspace that installed Replibot through OAuth, with its own members and channel. */
export interface SlackWorkspace {
  teamId: string;
  /** Its "general" channel, the bot a member. */
  channelId: string;
  /** A member by name, created on first use; names starting with `admin` are workspace admins. */
  member(name: string): string;
  /** Runs a slash command as `user` in this workspace. */
  command(user: string, command: string, text: string, channel?: string): Promise<SlackRequest>;
  /** Presses a button (any action id: a tampered client can send anything) under message `ts`. */
  press(user: string, actionId: string, ts: string, channel?: string): Promise<SlackRequest>;
  /** The bot token its installation holds, read back from Postgres. */
  botToken(): Promise<string>;
}

/** A workspace admin installing Replibot through /slack/install, as a browser would (stack in OAuth mode). */
export async function installSlackApp(stack: SlackStack, teamId: string): Promise<Response> {
  stack.fake.redirectUrls = [`${stack.appUrl}/slack/oauth_redirect`];
  const start = await fetch(`${stack.appUrl}/slack/install`, { redirect: "manual" });
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { location } = stack.fake.approveInstall(start.headers.get("location") ?? "", teamId);
  return fetch(location, { headers: { cookie }, redirect: "manual" });
}

/** Adds a workspace to the fake Slack and installs Replibot there; throws if the install fails. */
export async function addSlackWorkspace(stack: SlackStack, name: string): Promise<SlackWorkspace> {
  const teamId = stack.fake.addTeam({ name });
  const channelId = stack.fake.addChannel(teamId, { name: "general" });
  const installed = await installSlackApp(stack, teamId);
  if (installed.status !== 200) throw new Error(`install of ${name} answered ${installed.status}`);
  const members = new Map<string, string>();
  const member = (user: string) => {
    let id = members.get(user);
    if (!id) {
      id = stack.fake.addUser(teamId, { name: user, isAdmin: user.startsWith("admin") });
      members.set(user, id);
    }
    return id;
  };
  const withJob = (answer: InteractionAnswer): SlackRequest => ({
    ...answer,
    jobId: `slack-${answer.triggerId}`,
  });
  return {
    teamId,
    channelId,
    member,
    async command(user, command, text, channel = channelId) {
      const base = { appUrl: stack.appUrl, teamId, channelId: channel, userId: member(user) };
      return withJob(await stack.fake.slashCommand({ ...base, command, text }));
    },
    async press(user, actionId, ts, channel = channelId) {
      const base = { appUrl: stack.appUrl, teamId, channelId: channel, userId: member(user) };
      return withJob(await stack.fake.blockAction({ ...base, actionId, value: actionId, messageTs: ts }));
    },
    async botToken() {
      const box = createSecretsBox(stack.secretsKey);
      const installation = await getSlackInstallation(stack.database.db, box, teamId);
      if (!installation) throw new Error(`no installation for ${name}`);
      return installation.botToken;
    },
  };
}

/** The ts of a job's reply message, once the placeholder is posted (its buttons hang under it). */
export function replyTs(stack: SlackStack, jobId: string): Promise<string> {
  return eventually(async () => {
    const target = (await getJob(stack.database.db, jobId))?.replyTarget as
      | { messageTs?: string }
      | undefined;
    const ts = target?.messageTs;
    return ts && /^\d+\.\d+$/.test(ts) ? ts : undefined;
  });
}
