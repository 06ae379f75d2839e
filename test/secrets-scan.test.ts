import { randomBytes } from "node:crypto";
import { format } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";
import {
  discordExposures,
  discordInteractionTokens,
  jobErrorExposures,
  logExposures,
  slackExposures,
} from "./helpers/exposures.ts";
import { captureLogs } from "./helpers/log-capture.ts";
import { type Exposure, findSecrets, type Secret, uniqueSecrets } from "./helpers/secret-scan.ts";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";
import { addSlackWorkspace, installSlackApp, replyTs } from "./helpers/slack-workspace.ts";
import { exerciseUnreachableStores } from "./helpers/unreachable-stores.ts";

// A token shaped like Replicate's, so shape-based redaction is exercised too.
const replicateToken = `r8_${randomBytes(32).toString("hex").slice(0, 37)}`;
const logs = captureLogs("secrets");
const common = { logger: logs.logger, replicateToken, emulator: { tokensPerSecond: 60 } };
let discord: DiscordStack;
let slack: SlackStack;
let oauth: SlackStack;
// Libraries that bypass our logger write to the console: those lines are scanned too.
const consoleLines: string[] = [];
beforeAll(async () => {
  for (const method of ["debug", "info", "log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...parts) => void consoleLines.push(format(...parts)));
  }
  discord = await startDiscordStack({ label: "secrets-d", ...common });
  slack = await startSlackStack({ label: "secrets-s", ...common });
  oauth = await startSlackStack({ label: "secrets-o", mode: "oauth", ...common });
});
afterAll(async () => {
  await oauth?.close();
  await slack?.close();
  await discord?.close();
  vi.restoreAllMocks();
});

/** Everything said outside the fakes' own records: HTTP answers and thrown messages. */
const said: Exposure[] = [];
const secrets: Secret[] = [];
const slackMembers: string[] = [];
/** Every response_url Slack handed out: each is a bearer credential, posted to or not. */
const responseUrlIds: string[] = [];
function track<T extends { responseUrlId: string }>(request: T): T {
  responseUrlIds.push(request.responseUrlId);
  return request;
}

/** A webhook to our service as a stranger would send it: bad or missing signature, an Authorization header. */
async function strangerWebhook(headers: Record<string, string>) {
  const answer = await fetch(`${discord.webhooks.url}/webhooks/replicate?job=discord-1187654321098765432`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ id: "p-stranger", status: "succeeded", output: ["x"] }),
  });
  said.push({ where: `webhook answer ${answer.status}`, text: await answer.text() });
  return answer.status;
}

describe("secrets never appear in logs, errors or chat", () => {
  it("runs Discord through answers, images, a cancel, a failure, faults and an expired token", async () => {
    const streamed = discord.ask("alice", "Repeat exactly 12 times:\nstreamed words ");
    expect((await discord.finished(streamed.interactionId)).status).toBe("succeeded");
    const image = discord.imagine("alice", { prompt: "a lighthouse at dusk" });
    expect((await discord.finished(image.interactionId)).status).toBe("succeeded");

    const long = discord.ask("bob", "Repeat exactly 80 times:\nto be cancelled ");
    const shown = await eventually(() => {
      const message = discord.fake.interactionResponse(long.interactionId)?.original;
      return message && message.components.length > 0 ? message : undefined;
    });
    discord.fake.pressButton({
      messageId: shown.id,
      customId: `cancel:discord-${long.interactionId}`,
      userId: discord.member("bob"),
    });
    expect((await discord.finished(long.interactionId)).status).toBe("canceled");

    discord.emulator.control.failNextPredictions({ error: "CUDA out of memory" });
    const failed = discord.ask("carol", "Tell me a story");
    expect((await discord.finished(failed.interactionId)).status).toBe("failed");

    // Discord answering 429 and then 500s (more than the library retries) to the interaction's edits.
    const edits = "/webhooks/:application_id/:token/messages/@original";
    discord.fake.failNext({ method: "PATCH", route: edits, status: 429, headers: { "retry-after": "1" } });
    discord.fake.failNext({ method: "PATCH", route: edits, status: 500, times: 5 });
    const faulted = discord.ask("dave", "Repeat exactly 20 times:\nthrough faults ");
    expect((await discord.finished(faulted.interactionId)).status).toBe("succeeded");

    const late = discord.ask("erin", "Repeat exactly 60 times:\nslowly now ");
    await eventually(
      () =>
        (discord.fake.interactionResponse(late.interactionId)?.original?.content.length ?? 0) > 10 ||
        undefined,
    );
    discord.fake.clock.advance(15 * 60_000 + 1_000);
    expect((await discord.finished(late.interactionId)).status).toBe("succeeded");
    expect(discord.fake.interactionResponse(late.interactionId)!.tokenExpired).toBe(true);
  });

  it("refuses strangers' webhooks, and fails cleanly when Postgres and Redis are unreachable", async () => {
    const now = Math.floor(Date.now() / 1000);
    const attacker = `Bearer ${randomBytes(24).toString("hex")}`;
    secrets.push({ name: "a stranger's Authorization header", value: attacker.slice("Bearer ".length) });
    const signed = { "webhook-id": "msg_stranger", "webhook-timestamp": String(now) };
    expect(await strangerWebhook({ ...signed, "webhook-signature": "v1,bm90IGEgc2lnbmF0dXJl" })).toBe(401);
    expect(await strangerWebhook({ authorization: attacker })).toBe(401);
    const stale = { ...signed, "webhook-timestamp": String(now - 3_600) };
    expect(await strangerWebhook({ ...stale, "webhook-signature": "v1,bm90IGEgc2lnbmF0dXJl" })).toBe(401);

    const dead = await exerciseUnreachableStores(logs.logger, discord.emulator.webhookSecret);
    said.push(...dead.exposures);
    secrets.push(...dead.secrets);
    expect(dead.exposures.map((e) => e.text).join("\n")).toMatch(/Redis|Postgres|internal error/);
  });

  it("runs Slack through answers, images, a cancel, a failure, response_url answers, faults and forgeries", async () => {
    const streamed = track(await slack.command("ada", "/ask", "Repeat exactly 12 times:\nstreamed words "));
    expect((await slack.finished(streamed.jobId)).status).toBe("succeeded");
    const image = track(await slack.command("ada", "/imagine", "a lighthouse --ar 16:9"));
    expect((await slack.finished(image.jobId)).status).toBe("succeeded");

    const long = track(await slack.command("bea", "/ask", "Repeat exactly 80 times:\nto be cancelled "));
    track(await slack.press("bea", `cancel:${long.jobId}`, await replyTs(slack, long.jobId)));
    expect((await slack.finished(long.jobId)).status).toBe("canceled");

    slack.emulator.control.failNextPredictions({ error: "CUDA out of memory" });
    const failed = track(await slack.command("cal", "/ask", "Tell me a story"));
    expect((await slack.finished(failed.jobId)).status).toBe("failed");

    const hidden = slack.fake.addChannel(slack.teamId, {
      name: "hidden",
      isPrivate: true,
      botIsMember: false,
      members: [slack.member("ada")],
    });
    const viaUrl = track(await slack.command("ada", "/ask", "Repeat exactly 8 times:\nprivately ", hidden));
    expect((await slack.finished(viaUrl.jobId)).status).toBe("succeeded");
    expect(slack.fake.responseUrlPosts(viaUrl.responseUrlId).some((p) => p.accepted)).toBe(true);

    slack.fake.failNext({ method: "chat.update", status: 429, headers: { "retry-after": "1" } });
    slack.fake.failNext({ method: "chat.update", status: 500 });
    slack.fake.failNext({ method: "chat.update", status: 500 });
    slack.fake.failNext({ method: "chat.update", status: 500 });
    const faulted = track(await slack.command("dot", "/ask", "Repeat exactly 20 times:\nthrough faults "));
    expect((await slack.finished(faulted.jobId)).status).toBe("succeeded");

    const base = { appUrl: slack.appUrl, teamId: slack.teamId, channelId: slack.channelId };
    const forged = track(
      await slack.fake.slashCommand({
        ...base,
        userId: slack.member("mallory"),
        command: "/ask",
        text: "hello",
        signing: { badSignature: true },
      }),
    );
    expect(forged.status).toBe(401);
    said.push({ where: "Slack answer to a bad signature", text: forged.body });
    slackMembers.push(...["ada", "bea", "cal", "dot", "mallory"].map((name) => slack.member(name)));
  });

  it("runs a Slack OAuth install, an answer there, a refused install and an uninstall", async () => {
    const acme = await addSlackWorkspace(oauth, "Acme");
    secrets.push({ name: "an installed workspace's bot token", value: await acme.botToken() });
    const asked = track(await acme.command("ann", "/ask", "Repeat exactly 12 times:\ninstalled words "));
    expect((await oauth.finished(asked.jobId)).status).toBe("succeeded");

    const cookieless = oauth.fake.addTeam({ name: "Cookieless" });
    oauth.fake.redirectUrls = [`${oauth.appUrl}/slack/oauth_redirect`];
    const start = await fetch(`${oauth.appUrl}/slack/install`, { redirect: "manual" });
    const { location } = oauth.fake.approveInstall(start.headers.get("location") ?? "", cookieless);
    const refused = await fetch(location, { redirect: "manual" });
    said.push({ where: `refused install page (HTTP ${refused.status})`, text: await refused.text() });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect((await installSlackApp(oauth, oauth.fake.addTeam({ name: "Beta" }))).status).toBe(200);

    const events = oauth.fake.uninstall(acme.teamId);
    await oauth.fake.event({ appUrl: oauth.appUrl, teamId: acme.teamId, event: events.tokensRevoked });
    await oauth.fake.event({ appUrl: oauth.appUrl, teamId: acme.teamId, event: events.appUninstalled });
    slackMembers.push(acme.member("ann"));
  });

  it("finds no token, secret, key, password or response_url anywhere people or operators can read", async () => {
    const webhookSecrets = [discord, slack, oauth].map((stack) => stack.emulator.webhookSecret);
    const inPlay = uniqueSecrets([
      ...secrets,
      { name: "the Discord bot token", value: discord.fake.botToken },
      ...discordInteractionTokens(discord.fake).map((value) => ({ name: "an interaction token", value })),
      { name: "the Replicate API token", value: replicateToken },
      ...webhookSecrets.map((value) => ({ name: "the webhook signing secret", value })),
      ...webhookSecrets.map((value) => ({ name: "the webhook signing key", value: value.slice(6) })),
      ...[slack, oauth].flatMap((stack) => [
        { name: "the Slack bot token", value: stack.fake.botToken },
        { name: "the Slack app token", value: stack.fake.appToken },
        { name: "the Slack signing secret", value: stack.fake.signingSecret },
        { name: "the Slack client secret", value: stack.fake.clientSecret },
      ]),
      { name: "the Slack state secret", value: oauth.stateSecret },
      { name: "SECRETS_KEY", value: oauth.secretsKey },
      ...responseUrlIds.map((value) => ({ name: "a response_url", value })),
    ]);
    // The scan must have something to find: tokens were used and error paths logged.
    expect(inPlay.filter((s) => s.name === "an interaction token").length).toBeGreaterThanOrEqual(6);
    expect(responseUrlIds.length).toBeGreaterThan(0);
    expect(logs.lines.some((line) => /"level":(40|50)/.test(line))).toBe(true);

    const exposures = [
      ...logExposures(logs.lines, "all apps"),
      ...logExposures(consoleLines, "console"),
      ...said,
      ...discordExposures(discord.fake, "Discord", discord.channelIds),
      ...slackExposures(slack.fake, "Slack", slackMembers),
      ...slackExposures(oauth.fake, "Slack OAuth", slackMembers),
      ...(await jobErrorExposures(discord.database.db, "Discord")),
      ...(await jobErrorExposures(slack.database.db, "Slack")),
      ...(await jobErrorExposures(oauth.database.db, "Slack OAuth")),
    ];
    expect(exposures.length).toBeGreaterThan(100);
    expect(findSecrets(exposures, inPlay)).toEqual([]);
  });
});
